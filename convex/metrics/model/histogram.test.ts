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

describe("percentiles stay inside the observed range", () => {
  test("a bucket's middle above the slowest call is reported as that call", () => {
    const histogram = histogramOf(Array.from({ length: 100 }, () => 8870));
    const estimate = percentile(histogram, 0.99, { minMs: 8870, maxMs: 8870 });
    expect(estimate).toBe(8870);
  });

  test("a bucket's middle below the fastest call is reported as that call", () => {
    const histogram = histogramOf([1.18, 1.18, 1.18]);
    expect(percentile(histogram, 0.5, { minMs: 1.18, maxMs: 1.18 })).toBe(1.18);
  });

  test("any spread of values keeps every percentile within [min, max]", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let sample = 0; sample < 200; sample++) {
      const values = Array.from(
        { length: 1 + Math.floor(random() * 20) },
        () => random() * 10 ** (random() * 5),
      );
      const minMs = Math.min(...values);
      const maxMs = Math.max(...values);
      for (const q of [0.01, 0.5, 0.95, 0.99, 1]) {
        const estimate = percentile(histogramOf(values), q, { minMs, maxMs })!;
        expect(estimate).toBeGreaterThanOrEqual(minMs);
        expect(estimate).toBeLessThanOrEqual(maxMs);
      }
    }
  });

  test("without known bounds the estimate is the bucket's middle", () => {
    expect(percentile(histogramOf([8870]), 0.5)).toBeGreaterThan(8870);
  });
});
