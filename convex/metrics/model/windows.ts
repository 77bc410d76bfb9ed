/**
 * Per-range function summaries: one document per (deployment, window, function) holding the
 * function's totals over the last 15 minutes, hour, 6 hours, 24 hours or 7 days. Ingest adds each
 * execution to every window whose start it is not older than; a cron subtracts a rollup bucket's
 * totals as the bucket leaves the window. A per-function table then reads one document per
 * function whatever the range, instead of functions × buckets rollups.
 */
import { bucketBounds } from "./histogram";
import type { RollupTotals } from "./rollups";
import { bucketStart, HOUR_MS, MINUTE_MS, type Granularity } from "./timeBuckets";

export type WindowSpec = { key: string; lengthMs: number; granularity: Granularity };

/** The page ranges (src/lib/timeRange.ts) summarised this way; 7 days moves an hour at a time. */
export const FUNCTION_WINDOWS: readonly WindowSpec[] = [
  { key: "15m", lengthMs: 15 * MINUTE_MS, granularity: "minute" },
  { key: "1h", lengthMs: HOUR_MS, granularity: "minute" },
  { key: "6h", lengthMs: 6 * HOUR_MS, granularity: "minute" },
  { key: "24h", lengthMs: 24 * HOUR_MS, granularity: "minute" },
  { key: "7d", lengthMs: 7 * 24 * HOUR_MS, granularity: "hour" },
];

export function stepMs(window: WindowSpec): number {
  return window.granularity === "minute" ? MINUTE_MS : HOUR_MS;
}

/** The first bucket a window holds at `now`: the one `lengthMs` back, whole. */
export function windowStart(window: WindowSpec, now: number): number {
  return bucketStart(now - window.lengthMs, window.granularity);
}

/**
 * The window that answers [from, to) exactly to one of its steps: same length, its start within a
 * step of `from`. Anything else (a custom range, a window the cron has not moved) is read from rollups.
 */
export function windowFor(from: number, to: number, starts: ReadonlyMap<string, number>): WindowSpec | null {
  for (const window of FUNCTION_WINDOWS) {
    const start = starts.get(window.key);
    if (start === undefined || Math.abs(to - from - window.lengthMs) > MINUTE_MS) continue;
    if (Math.abs(start - from) <= stepMs(window)) return window;
  }
  return null;
}

function histogramRange(histogram: number[]): { lowMs: number; highMs: number } | null {
  const first = histogram.findIndex((count) => count > 0);
  if (first === -1) return null;
  let last = histogram.length - 1;
  while (last > first && histogram[last] === 0) last--;
  return { lowMs: bucketBounds(first).lowMs, highMs: bucketBounds(last).highMs };
}

/**
 * `total` less a bucket that leaves the window. Counts subtract exactly; the slowest and fastest
 * call cannot, so they become the bounds of what is left: the old extreme narrowed by the
 * histogram's outermost non-empty buckets, still on the outside of every remaining call.
 */
export function subtractTotals(total: RollupTotals, leaving: RollupTotals): RollupTotals {
  const failuresByCode: Record<string, number> = {};
  for (const [code, count] of Object.entries(total.failuresByCode)) {
    const left = count - (leaving.failuresByCode[code] ?? 0);
    if (left > 0) failuresByCode[code] = left;
  }
  const length = total.histogram.length;
  const histogram = total.histogram.map((count, index) =>
    Math.max(0, count - (leaving.histogram[index] ?? 0)),
  );
  let end = length;
  while (end > 0 && histogram[end - 1] === 0) end--;
  const remaining = histogram.slice(0, end);
  const range = histogramRange(remaining);
  const calls = Math.max(0, total.calls - leaving.calls);
  return {
    calls,
    failures: Math.max(0, total.failures - leaving.failures),
    failuresByCode,
    cacheHits: Math.max(0, total.cacheHits - leaving.cacheHits),
    slowCalls: Math.max(0, total.slowCalls - leaving.slowCalls),
    mutations: Math.max(0, total.mutations - leaving.mutations),
    occFailures: Math.max(0, total.occFailures - leaving.occFailures),
    durationSumMs: Math.max(0, total.durationSumMs - leaving.durationSumMs),
    maxDurationMs: range === null ? 0 : Math.min(total.maxDurationMs, range.highMs),
    ...(range !== null && total.minDurationMs !== undefined
      ? { minDurationMs: Math.max(total.minDurationMs, range.lowMs) }
      : {}),
    histogram: remaining,
    readDocuments: Math.max(0, total.readDocuments - leaving.readDocuments),
    ...(total.readDocumentsSquares !== undefined &&
    (leaving.calls === 0 || leaving.readDocumentsSquares !== undefined)
      ? {
          readDocumentsSquares: Math.max(0, total.readDocumentsSquares - (leaving.readDocumentsSquares ?? 0)),
        }
      : {}),
    readBytes: Math.max(0, total.readBytes - leaving.readBytes),
    writeDocuments: Math.max(0, total.writeDocuments - leaving.writeDocuments),
    writeBytes: Math.max(0, total.writeBytes - leaving.writeBytes),
  };
}
