/**
 * URL search params of the metrics pages (Overview, Slow queries, Errors). Kept free of React and
 * chart code: route files import it, and route files are part of the first-screen bundle.
 * Malformed values are ignored, not rejected, so a stale link still opens the page.
 */

import { RANGE_KEYS, type RangeKey } from "@/lib/timeRange";

export { DEFAULT_RANGE, RANGE_KEYS, RANGE_LABELS, RANGE_MS, type RangeKey } from "@/lib/timeRange";

/** Function types the log stream reports (`function.type`). */
export const FUNCTION_TYPES = ["query", "mutation", "action", "http_action"] as const;
export type FunctionType = (typeof FUNCTION_TYPES)[number];

export const SLOW_VIEWS = ["functions", "calls"] as const;
export type SlowView = (typeof SLOW_VIEWS)[number];

/** What every metrics page shares: which deployment, over which time range. */
export type ScopeSearch = {
  deployment?: string;
  range?: RangeKey;
};

export type SlowQueriesSearch = ScopeSearch & {
  view?: SlowView;
  /** Substring of the function path, case-insensitive. */
  fn?: string;
  type?: FunctionType;
  /** Minimum duration in ms: of a call in the calls view, of the p95 in the functions view. */
  minMs?: number;
  /** `<columnId>.<asc|desc>` */
  sort?: string;
  /** Request id whose correlation timeline is open. */
  request?: string;
};

export type ErrorsSearch = ScopeSearch & {
  /** Not `code`: the sign-in library reads a `code` param from the URL as a verification code. */
  errorCode?: string;
  /** Error group whose failing calls are open. */
  group?: string;
  request?: string;
};

function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return typeof value === "string" && (values as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

function text(value: unknown, max = 200): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" || trimmed.length > max ? undefined : trimmed;
}

function positiveNumber(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

const SORT_PATTERN = /^[A-Za-z][A-Za-z0-9]*\.(asc|desc)$/;
const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,47}$/;

export function parseScopeSearch(search: Record<string, unknown>): ScopeSearch {
  return {
    deployment: text(search.deployment, 100),
    range: oneOf(RANGE_KEYS, search.range),
  };
}

export function parseSlowQueriesSearch(search: Record<string, unknown>): SlowQueriesSearch {
  const sort = text(search.sort, 60);
  return {
    ...parseScopeSearch(search),
    view: oneOf(SLOW_VIEWS, search.view),
    fn: text(search.fn),
    type: oneOf(FUNCTION_TYPES, search.type),
    minMs: positiveNumber(search.minMs),
    sort: sort !== undefined && SORT_PATTERN.test(sort) ? sort : undefined,
    request: text(search.request, 100),
  };
}

export function parseErrorsSearch(search: Record<string, unknown>): ErrorsSearch {
  const errorCode = text(search.errorCode, 48);
  return {
    ...parseScopeSearch(search),
    errorCode: errorCode !== undefined && CODE_PATTERN.test(errorCode) ? errorCode : undefined,
    group: text(search.group, 100),
    request: text(search.request, 100),
  };
}

/** A page reports a new URL search; `push` adds a history entry (opening a drawer), else it replaces. */
export type SearchChange<T> = (next: T, options?: { push?: boolean }) => void;

export type SortParam = { id: string; desc: boolean };

/** `durationMs.desc` → {id: "durationMs", desc: true}, only for the given column ids. */
export function readSort(sort: string | undefined, columnIds: readonly string[]): SortParam | undefined {
  if (sort === undefined) return undefined;
  const [id, direction] = sort.split(".");
  return id !== undefined && columnIds.includes(id) ? { id, desc: direction === "desc" } : undefined;
}

export function writeSort(sort: SortParam | undefined): string | undefined {
  return sort === undefined ? undefined : `${sort.id}.${sort.desc ? "desc" : "asc"}`;
}
