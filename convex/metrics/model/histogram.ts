/**
 * Fixed log-spaced latency histograms. Every rollup uses the same buckets, so histograms merge by
 * adding counts, and a percentile read from one is off by at most one bucket width (~19%).
 *
 * Bucket 0 holds [0, 1) ms; bucket i ≥ 1 holds [r^(i-1), r^i) ms with r = 2^(1/4); the last bucket
 * also takes everything slower (r^80 ms ≈ 17 minutes, past Convex's 10-minute action limit).
 */
export const HISTOGRAM_RATIO = 2 ** (1 / 4);
export const HISTOGRAM_BUCKET_COUNT = 81;

/** Counts per bucket, trailing empty buckets trimmed so fast functions store short arrays. */
export type Histogram = number[];

export function bucketIndex(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  const index = Math.floor(Math.log(durationMs) / Math.log(HISTOGRAM_RATIO)) + 1;
  return Math.min(index, HISTOGRAM_BUCKET_COUNT - 1);
}

export function bucketBounds(index: number): { lowMs: number; highMs: number } {
  if (index <= 0) return { lowMs: 0, highMs: 1 };
  return { lowMs: HISTOGRAM_RATIO ** (index - 1), highMs: HISTOGRAM_RATIO ** index };
}

function trimmed(counts: number[]): Histogram {
  let end = counts.length;
  while (end > 0 && counts[end - 1] === 0) end--;
  return counts.slice(0, end);
}

export function addToHistogram(histogram: Histogram, durationMs: number, count = 1): Histogram {
  const index = bucketIndex(durationMs);
  const counts = histogram.slice();
  while (counts.length <= index) counts.push(0);
  counts[index] = (counts[index] ?? 0) + count;
  return counts;
}

export function mergeHistograms(...histograms: Histogram[]): Histogram {
  const length = Math.max(0, ...histograms.map((histogram) => histogram.length));
  const counts = new Array<number>(length).fill(0);
  for (const histogram of histograms) {
    histogram.forEach((count, index) => {
      counts[index] = (counts[index] ?? 0) + count;
    });
  }
  return trimmed(counts);
}

export function histogramCount(histogram: Histogram): number {
  return histogram.reduce((total, count) => total + count, 0);
}

/** What is known of the exact values a histogram counts: its fastest and slowest. */
type ObservedRange = { minMs?: number | null; maxMs?: number | null };

/**
 * The q-quantile (0 < q ≤ 1) by the nearest-rank rule, reported as the geometric middle of the
 * bucket holding that rank, but never outside the observed [min, max]: a bucket's middle can lie
 * past the slowest call, and a p99 above the max is a number nobody trusts. Null for an empty histogram.
 */
export function percentile(histogram: Histogram, q: number, observed: ObservedRange = {}): number | null {
  const total = histogramCount(histogram);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [index, count] of histogram.entries()) {
    seen += count;
    if (seen >= rank) {
      const { lowMs, highMs } = bucketBounds(index);
      const middle = index === 0 ? 0.5 : Math.sqrt(lowMs * highMs);
      return clamp(middle, observed);
    }
  }
  return null;
}

function clamp(value: number, { minMs, maxMs }: ObservedRange): number {
  let clamped = value;
  if (typeof maxMs === "number" && Number.isFinite(maxMs)) clamped = Math.min(clamped, maxMs);
  if (typeof minMs === "number" && Number.isFinite(minMs)) clamped = Math.max(clamped, minMs);
  return clamped;
}
