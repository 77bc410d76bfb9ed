/** Rollup bucket arithmetic. Buckets are aligned to UTC minutes and hours, keyed by their start. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export type Granularity = "minute" | "hour";

function granularityMs(granularity: Granularity): number {
  return granularity === "minute" ? MINUTE_MS : HOUR_MS;
}

export function bucketStart(timestamp: number, granularity: Granularity): number {
  const size = granularityMs(granularity);
  return Math.floor(timestamp / size) * size;
}

/** Bucket starts covering [from, to), oldest first, so a chart can show empty buckets as zero. */
export function bucketStarts(from: number, to: number, granularity: Granularity): number[] {
  const size = granularityMs(granularity);
  const starts: number[] = [];
  if (to <= from) return starts;
  for (let start = bucketStart(from, granularity); start < to; start += size) starts.push(start);
  return starts;
}

/** Minute buckets for ranges up to six hours, hour buckets beyond: a chart reads at most ~360 rows per series. */
export function granularityForRange(rangeMs: number): Granularity {
  return rangeMs <= 6 * HOUR_MS ? "minute" : "hour";
}
