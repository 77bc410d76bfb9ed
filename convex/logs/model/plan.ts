/**
 * Turns a parsed query into the index range that narrows the candidates, and matches a stored row
 * against the whole query. The matcher always runs on every candidate, so an index path only ever
 * reads fewer rows, never answers differently: that is what makes "with or without the index"
 * give identical results.
 */
import type { FunctionValue, QueryNode, TextValue } from "./query";
import { wordsOf } from "./query";

/** What a stored log row offers the matcher (a logEvents document has at least these). */
export type MatchableRow = {
  ts: number;
  kind: string;
  level: string;
  deployment: string;
  functionPath: string | null;
  functionType: string | null;
  status: string | null;
  code: string | null;
  requestId: string | null;
  correlationId: string | null;
  durationMs: number | null;
  dbCalls: number | null;
  docsScanned: number | null;
  docsWritten: number | null;
  cached: boolean | null;
  message: string;
};

export type Source =
  | { index: "by_request"; requestId: string }
  | { index: "by_correlation"; correlationId: string }
  | { index: "by_function"; functionPath: string }
  | { index: "by_function_level"; functionPath: string; level: string }
  | {
      index: "search";
      words: string[];
      filters: { deployment?: string; level?: string; functionPath?: string; kind?: string };
    }
  | { index: "by_level"; level: string }
  | { index: "by_deployment"; deployment: string }
  | { index: "by_ts" };

export type Plan = {
  source: Source;
  /** Inclusive bounds on `ts` every match lies within; the matcher applies the exact comparison. */
  from: number | null;
  to: number | null;
};

function conjuncts(node: QueryNode): QueryNode[] {
  return node.kind === "and" ? node.items.flatMap(conjuncts) : [node];
}

/**
 * Picks the narrowest index the top-level AND allows: a request or correlation id, an exact
 * function, message words (the search index, with the equalities it can filter on), a level, a
 * deployment; else time order alone. Terms under OR or NOT narrow nothing.
 */
export function planQuery(tree: QueryNode): Plan {
  let from: number | null = null;
  let to: number | null = null;
  const equal: Partial<Record<"requestId" | "correlationId" | "level" | "deployment" | "kind", string>> = {};
  let exactFunction: string | undefined;
  const words: string[] = [];
  for (const node of conjuncts(tree)) {
    if (node.kind === "text") {
      words.push(...node.value.words);
      continue;
    }
    if (node.kind !== "field") continue;
    switch (node.field) {
      case "timestamp":
        if (node.op === ">" || node.op === ">=") from = Math.max(from ?? -Infinity, node.value as number);
        if (node.op === "<" || node.op === "<=") to = Math.min(to ?? Infinity, node.value as number);
        break;
      case "message":
        words.push(...node.value.words);
        break;
      case "function":
        // A module (`tasks.*`) is a range of paths: an index over it is not in time order.
        if ("exact" in node.value) exactFunction = node.value.exact;
        break;
      case "requestId":
      case "correlationId":
      case "level":
      case "deployment":
      case "kind":
        equal[node.field] = String(node.value);
        break;
      default:
        break;
    }
  }
  const bounds = { from, to };
  if (equal.requestId !== undefined) return { source: { index: "by_request", requestId: equal.requestId }, ...bounds };
  if (equal.correlationId !== undefined) {
    return { source: { index: "by_correlation", correlationId: equal.correlationId }, ...bounds };
  }
  if (words.length > 0) {
    const filters: Extract<Source, { index: "search" }>["filters"] = {};
    if (equal.deployment !== undefined) filters.deployment = equal.deployment;
    if (equal.level !== undefined) filters.level = equal.level;
    if (exactFunction !== undefined) filters.functionPath = exactFunction;
    if (equal.kind !== undefined) filters.kind = equal.kind;
    return { source: { index: "search", words: [...new Set(words)].slice(0, MAX_SEARCH_TERMS), filters }, ...bounds };
  }
  if (exactFunction !== undefined && equal.level !== undefined) {
    return { source: { index: "by_function_level", functionPath: exactFunction, level: equal.level }, ...bounds };
  }
  if (exactFunction !== undefined) return { source: { index: "by_function", functionPath: exactFunction }, ...bounds };
  if (equal.level !== undefined) return { source: { index: "by_level", level: equal.level }, ...bounds };
  if (equal.deployment !== undefined) return { source: { index: "by_deployment", deployment: equal.deployment }, ...bounds };
  return { source: { index: "by_ts" }, ...bounds };
}

/** Convex search takes at most 16 terms; more words still narrow through the matcher. */
export const MAX_SEARCH_TERMS = 16;

/** The text a row is searched by: its message's words, so the search index and the matcher agree. */
export function searchTextOf(message: string): string {
  return wordsOf(message).join(" ");
}

/** Each query word equals a message word in order, the last one as a prefix (as Convex search does). */
export function matchesText(message: string, value: TextValue): boolean {
  const have = wordsOf(message);
  const want = value.words;
  if (!value.phrase) return want.every((word) => have.some((candidate) => candidate.startsWith(word)));
  for (let start = 0; start + want.length <= have.length; start++) {
    let all = true;
    for (let offset = 0; offset < want.length && all; offset++) {
      const candidate = have[start + offset]!;
      const word = want[offset]!;
      all = offset === want.length - 1 ? candidate.startsWith(word) : candidate === word;
    }
    if (all) return true;
  }
  return false;
}

export function matchesFunction(path: string | null, value: FunctionValue): boolean {
  if (path === null) return false;
  if ("exact" in value) return path === value.exact;
  return path.startsWith(`${value.module}:`) || path.startsWith(`${value.module}/`);
}

function compare(actual: number | null, op: string, expected: number): boolean {
  if (actual === null) return false;
  switch (op) {
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    default:
      return actual === expected;
  }
}

const NUMERIC_COLUMN = {
  duration: "durationMs",
  dbCalls: "dbCalls",
  docsScanned: "docsScanned",
  docsWritten: "docsWritten",
  timestamp: "ts",
} as const;

const KEYWORD_COLUMN = {
  level: "level",
  type: "functionType",
  kind: "kind",
  status: "status",
  code: "code",
  requestId: "requestId",
  correlationId: "correlationId",
  deployment: "deployment",
} as const;

/** Whether a stored row satisfies the whole query. A field the row lacks (null) never matches. */
export function matchesRow(node: QueryNode, row: MatchableRow): boolean {
  switch (node.kind) {
    case "and":
      return node.items.every((item) => matchesRow(item, row));
    case "or":
      return node.items.some((item) => matchesRow(item, row));
    case "not":
      return !matchesRow(node.item, row);
    case "text":
      return matchesText(row.message, node.value);
    case "field":
      switch (node.field) {
        case "message":
          return matchesText(row.message, node.value);
        case "function":
          return matchesFunction(row.functionPath, node.value);
        case "cached":
          return row.cached === node.value;
        case "duration":
        case "dbCalls":
        case "docsScanned":
        case "docsWritten":
        case "timestamp":
          return compare(row[NUMERIC_COLUMN[node.field]], node.op, node.value as number);
        default: {
          const actual = row[KEYWORD_COLUMN[node.field]];
          return actual !== null && actual === node.value;
        }
      }
  }
}

/** Words to highlight in a result's message: every positive text term of the query. */
export function highlightWords(node: QueryNode): string[] {
  switch (node.kind) {
    case "and":
    case "or":
      return node.items.flatMap(highlightWords);
    case "not":
      return [];
    case "text":
      return node.value.words;
    case "field":
      return node.field === "message" ? node.value.words : [];
  }
}
