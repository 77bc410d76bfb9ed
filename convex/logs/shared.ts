/**
 * What the browser shares with the logs backend: the query language (so a parse error shows in
 * the search box before any request), the matcher the highlights come from, and the page limits.
 */
export { FIELD_NAMES, parseQuery, QueryError, wordsOf, type QueryNode } from "./model/query";
export { highlightWords } from "./model/plan";
export { STREAM_GAP_MS } from "./model/gaps";

export const LOG_LIMITS = {
  /** Rows per result page. */
  pageSize: 100,
  /** Documents one page reads at most looking for rows; Convex allows 16,384 per query. */
  scanBudget: 4000,
  /**
   * Candidates one text search returns (an hour, or a 5-minute slot of an hour that filled it);
   * a slot that fills it too is walked by time instead.
   */
  searchTake: 256,
  /** Stream-minute rows one page reads for gaps: a day of three deployments. */
  gapMinutes: 4500,
  /** Rows the tail shows when it starts, and at most per update after that. */
  tailFirst: 200,
  tailBatch: 1000,
  /** Documents one tail update reads at most; a busier stream catches up over several updates. */
  tailBudget: 4000,
  timelineRows: 200,
  /** Rows the browser keeps while tailing; older ones are dropped and counted. */
  tailBuffer: 10_000,
  /** The team's saved searches at most, and the longest name and query one may have. */
  savedSearches: 100,
  savedNameLength: 80,
  queryLength: 1000,
} as const;
