/**
 * Alert rules made from a Logs search (issue #22): "more than N events matching this query on a
 * deployment within the last W minutes". Pure: the limits, the checks and the stored rule's shape.
 */
import { parseQuery, QueryError } from "../../logs/shared";
import { formatDuration } from "./states";
import type { RuleDefinition, Severity } from "./rules";

const MIN = 60_000;

export const SEARCH_RULES = {
  /** Key prefix of rules made from a search: an index range over `by_key` lists them. */
  keyPrefix: "search-",
  /** Search rules a console may hold: each costs reads every minute. */
  maxRules: 20,
  maxWindowMinutes: 60,
  maxQueryLength: 500,
  /** Documents one count may read on one deployment; past it the instance is in Error, saying so. */
  countBudget: 2000,
  /**
   * Documents all counts together may read per evaluation: the evaluation is one mutation, which
   * Convex lets read 16,384 documents, and the built-in rules need theirs too.
   */
  evaluationBudget: 6000,
} as const;

/** The end of the key range of search rules: the character after the prefix's dash. */
export const SEARCH_KEY_END = "search.";

export type SearchRuleInput = {
  query: string;
  windowMinutes: number;
  threshold: number;
  severity: Severity;
};

export type SearchRuleDefinition = RuleDefinition & { search: { query: string; windowMs: number } };

/** Why the rule cannot be made, as a sentence; null when it can. `now` resolves relative times. */
export function searchRuleProblem(input: SearchRuleInput, now: number): string | null {
  const query = input.query.trim();
  if (query === "") return "Type a search first: an alert counts the events it matches.";
  if (query.length > SEARCH_RULES.maxQueryLength) {
    return `Keep the search under ${SEARCH_RULES.maxQueryLength} characters.`;
  }
  try {
    parseQuery(query, now);
  } catch (error) {
    if (error instanceof QueryError)
      return `The search has an error at column ${error.column}: ${error.message}`;
    throw error;
  }
  if (
    !Number.isInteger(input.windowMinutes) ||
    input.windowMinutes < 1 ||
    input.windowMinutes > SEARCH_RULES.maxWindowMinutes
  ) {
    return `The window is a whole number of minutes from 1 to ${SEARCH_RULES.maxWindowMinutes}.`;
  }
  if (!Number.isInteger(input.threshold) || input.threshold < 0) {
    return "The number of events is a whole number of zero or more.";
  }
  return null;
}

/** The stored rule: per deployment, counting matches over the window, with the search kept to link back. */
export function searchRuleDefinition(key: string, input: SearchRuleInput): SearchRuleDefinition {
  const query = input.query.trim();
  const windowMs = input.windowMinutes * MIN;
  return {
    key,
    name: `Log search: ${query}`,
    signal: "log_matches",
    scope: "deployment",
    unit: "count",
    threshold: input.threshold,
    recoveryThreshold: input.threshold,
    pendingMs: 0,
    keepFiringMs: 0,
    severity: input.severity,
    runbook: { template: "complete-outage", item: "check-logs" },
    summary: `{deployment}: {value} log events in ${formatDuration(windowMs)} matched the search (> {threshold})`,
    enabled: true,
    search: { query, windowMs },
  };
}
