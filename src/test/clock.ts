/**
 * The instant web tests run at (setup.ts freezes Date there), and the query times pages derive from
 * it, spelled out so a test states the window it expects rather than recomputing it the page's way.
 */
export const TEST_NOW = Date.UTC(2026, 11, 3, 12, 0, 30);

/** The start of TEST_NOW's minute: the `now` of minute-aligned queries (useMinute). */
export const TEST_MINUTE = Date.UTC(2026, 11, 3, 12, 0);

/** The start of the next minute: a range's `to`, and the `now` of queries taking the range end. */
export const TEST_RANGE_END = Date.UTC(2026, 11, 3, 12, 1);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A metrics query's args for a deployment over the last `length` ms ending at TEST_RANGE_END. */
export function lastWindow(deployment: string, length: number) {
  return { deployment, from: TEST_RANGE_END - length, to: TEST_RANGE_END };
}

export const LAST_HOUR = HOUR;
export const LAST_DAY = 24 * HOUR;
