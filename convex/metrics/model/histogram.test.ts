import { describe, expect, test } from "vitest";
import {
  addToHistogram,
  bucketBounds,
  bucketIndex,
  HISTOGRAM_BUCKET_COUNT,
  HISTOGRAM_RATIO,
  histogramCount,
  mergeHistograms,
  percentile,
  type Histogram,
} from "./histogram";

function exactPercentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

function histogramOf(values: number[]): Histogram {
  return values.reduce<Histogram>((histogram, value) => addToHistogram(histogram, value), []);
}

describe("buckets", () => {
  test("every duration falls inside its bucket's bounds", () => {
    for (const ms of [0, 0.3, 1, 1.1, 2, 99.9, 100, 237.42, 5000, 599_999]) {
      const { lowMs, highMs } = bucketBounds(bucketIndex(ms));
      expect(ms).toBeGreaterThanOrEqual(lowMs);
      expect(ms).toBeLessThan(highMs);
    }
  });

  test("anything slower than the last bound lands in the last bucket", () => {
    expect(bucketIndex(3_600_000)).toBe(HISTOGRAM_BUCKET_COUNT - 1);
  });

  test("garbage durations count as the fastest bucket instead of breaking the rollup", () => {
    expect(bucketIndex(Number.NaN)).toBe(0);
    expect(bucketIndex(-5)).toBe(0);
  });
});

describe("percentiles", () => {
  test("an empty histogram has no percentile", () => {
    expect(percentile([], 0.95)).toBeNull();
  });

  test("stay within one bucket width of the exact value on a long-tailed sample", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const values = Array.from({ length: 5000 }, () =>
      Math.exp(3 + 1.5 * Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random())),
    );
    const histogram = histogramOf(values);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactPercentile(values, q);
      const estimate = percentile(histogram, q)!;
      expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(HISTOGRAM_RATIO - 1);
    }
  });

  test("merging two histograms gives the histogram of all values", () => {
    const a = [3, 40, 41, 900];
    const b = [0.2, 40, 7000];
    expect(mergeHistograms(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
    expect(histogramCount(mergeHistograms(histogramOf(a), []))).toBe(4);
  });

  test("trailing empty buckets are not stored", () => {
    expect(histogramOf([0.5, 0.7])).toEqual([2]);
  });
});
