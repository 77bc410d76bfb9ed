/**
 * Alert rules made from a Logs search: an admin turns the current query into "more than N matching
 * events on a deployment within W minutes"; each evaluation counts the matches through the logs
 * domain's index plans, reading a bounded number of documents, and a count that does not finish
 * within its budget is the Error state with a sentence, never a guess.
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation } from "../lib/functions";
import { countMatches } from "../logs/read";
import { QueryError } from "../logs/shared";
import { endRuleAlerts } from "./endAlerts";
import { SEARCH_KEY_END, SEARCH_RULES, searchRuleDefinition, searchRuleProblem } from "./model/searchRules";
import { formatValue, type Observation } from "./model/states";
import { severityValidator } from "./tables";

/** The rules made from searches, oldest key first: the by_key range of their prefix. */
export async function loadSearchRules(ctx: QueryCtx): Promise<Doc<"alertRules">[]> {
  return await ctx.db
    .query("alertRules")
    .withIndex("by_key", (q) => q.gte("key", SEARCH_RULES.keyPrefix).lt("key", SEARCH_KEY_END))
    .take(SEARCH_RULES.maxRules);
}

/** What is left of one evaluation's reads for search counts; each count takes from it. */
export type SearchBudget = { remaining: number };

export function newSearchBudget(): SearchBudget {
  return { remaining: SEARCH_RULES.evaluationBudget };
}

const count = (value: number) => formatValue(value, "count");

/** One instance's observation: the matches on `deployment` in the rule's window ending `now`. */
export async function searchObservation(
  ctx: QueryCtx,
  rule: Doc<"alertRules">,
  deployment: string,
  now: number,
  budget: SearchBudget,
): Promise<Observation> {
  if (rule.search === undefined) return { kind: "error", message: "this rule has no search to count" };
  const allowed = Math.min(SEARCH_RULES.countBudget, budget.remaining);
  if (allowed <= 0) {
    return {
      kind: "error",
      message: `the ${count(SEARCH_RULES.evaluationBudget)} documents a minute's evaluation may read for log searches were used by other search rules; disable some of them`,
    };
  }
  try {
    const result = await countMatches(ctx, {
      query: rule.search.query,
      deployment,
      from: now - rule.search.windowMs,
      to: now,
      budget: allowed,
    });
    budget.remaining -= result.scanned;
    if (!result.complete) {
      return {
        kind: "error",
        message: `could not count the matches within ${count(allowed)} documents read (${count(result.count)} found before stopping); narrow the search or shorten its window`,
      };
    }
    return { kind: "value", value: result.count };
  } catch (error) {
    // One rule's failure is its own Error state; it must not stop every other rule's evaluation.
    if (error instanceof QueryError)
      return { kind: "error", message: `the search no longer parses: ${error.message}` };
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
}

async function newKey(ctx: MutationCtx): Promise<string> {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    const key =
      SEARCH_RULES.keyPrefix + [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    const taken = await ctx.db
      .query("alertRules")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    if (taken === null) return key;
  }
}

/** "Create an alert from this search" on the Logs page. Admins edit rules (DESIGN §4), so only they. */
export const createFromSearch = adminMutation({
  args: {
    query: v.string(),
    windowMinutes: v.number(),
    threshold: v.number(),
    severity: severityValidator,
  },
  handler: async (ctx, input) => {
    const now = Date.now();
    const problem = searchRuleProblem(input, now);
    if (problem !== null) throw appError("VALIDATION_ERROR", problem);
    if ((await loadSearchRules(ctx)).length >= SEARCH_RULES.maxRules) {
      throw appError(
        "VALIDATION_ERROR",
        `At most ${SEARCH_RULES.maxRules} alerts from searches: each one is counted every minute.`,
      );
    }
    const definition = searchRuleDefinition(await newKey(ctx), input);
    await ctx.db.insert("alertRules", {
      ...definition,
      version: 1,
      updatedAt: now,
      updatedBy: ctx.user.email,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.rule_created",
      target: definition.key,
      details: {
        query: definition.search.query,
        windowMinutes: input.windowMinutes,
        threshold: input.threshold,
        severity: input.severity,
      },
    });
    return { key: definition.key, name: definition.name };
  },
});

/**
 * Deletes an alert made from a search (built-in rules can only be disabled). Its open alerts end
 * first, with channels told they resolved, so deleting never leaves a receiver with a firing alert.
 */
export const deleteSearchRule = adminMutation({
  args: { key: v.string() },
  handler: async (ctx, { key }) => {
    if (!key.startsWith(SEARCH_RULES.keyPrefix)) {
      throw appError("VALIDATION_ERROR", "Built-in rules can be disabled, not deleted.");
    }
    const rule = await ctx.db
      .query("alertRules")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    if (rule === null) throw appError("NOT_FOUND", "That alert rule no longer exists.");
    await endRuleAlerts(ctx, rule, `The rule was deleted by ${ctx.user.email}`, Date.now());
    await ctx.db.delete("alertRules", rule._id);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.rule_deleted",
      target: key,
      details: { name: rule.name, query: rule.search?.query ?? null },
    });
  },
});
