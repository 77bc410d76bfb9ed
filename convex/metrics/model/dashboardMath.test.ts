import { expect, test } from "vitest";
import { occShare, summarize, sumTotals } from "./dashboardMath";
import { addToHistogram } from "./histogram";
import { emptyTotals } from "./rollups";

test("a summary divides by calls and reads percentiles from the histogram", () => {
  const histogram = [10, 20, 30, 40].reduce((h, ms) => addToHistogram(h, ms), [] as number[]);
  const summary = summarize({
    ...emptyTotals(),
    calls: 4,
    failures: 1,
    cacheHits: 2,
    durationSumMs: 100,
    maxDurationMs: 40,
    readDocuments: 8,
    histogram,
  });
  expect(summary).toMatchObject({
    calls: 4,
    errorRate: 0.25,
    cacheHitRate: 0.5,
    meanMs: 25,
    maxMs: 40,
    meanReadDocuments: 2,
    totalTimeMs: 100,
  });
  expect(summary.p50Ms).toBeGreaterThan(15);
  expect(summary.p50Ms).toBeLessThan(25);
});

test("no calls means zero rates and no percentiles, not NaN", () => {
  expect(summarize(emptyTotals())).toMatchObject({ errorRate: 0, meanMs: 0, p95Ms: null });
  expect(occShare(emptyTotals())).toBe(0);
});

test("totals add up across buckets", () => {
  const a = { ...emptyTotals(), calls: 2, mutations: 2, occFailures: 1 };
  const b = { ...emptyTotals(), calls: 3, mutations: 2, occFailures: 0 };
  expect(occShare(sumTotals([a, b]))).toBe(0.25);
});
