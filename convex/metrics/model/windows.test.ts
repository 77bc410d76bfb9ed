import { describe, expect, test } from "vitest";
import { addToHistogram } from "./histogram";
import { emptyTotals, mergeTotals, type RollupTotals } from "./rollups";
import { HOUR_MS, MINUTE_MS } from "./timeBuckets";
import { subtractTotals, windowFor } from "./windows";

function calls(...durations: number[]): RollupTotals {
  return durations.reduce<RollupTotals>(
    (totals, durationMs) => ({
      ...totals,
      calls: totals.calls + 1,
      durationSumMs: totals.durationSumMs + durationMs,
      maxDurationMs: Math.max(totals.maxDurationMs, durationMs),
      minDurationMs: Math.min(totals.minDurationMs ?? Infinity, durationMs),
      histogram: addToHistogram(totals.histogram, durationMs),
    }),
    emptyTotals(),
  );
}

describe("subtracting a bucket that leaves a window", () => {
  test("gives back exactly the counts of what stayed", () => {
    const leaving = {
      ...calls(900, 950),
      failures: 1,
      failuresByCode: { OCC: 1 },
      readDocuments: 30,
      readDocumentsSquares: 500,
    };
    const staying = {
      ...calls(10, 12, 14),
      failures: 1,
      failuresByCode: { NOT_FOUND: 1 },
      readDocuments: 6,
      readDocumentsSquares: 14,
    };
    const left = subtractTotals(mergeTotals(leaving, staying), leaving);
    expect(left).toMatchObject({
      calls: 3,
      failures: 1,
      failuresByCode: { NOT_FOUND: 1 },
      durationSumMs: 36,
      readDocuments: 6,
      readDocumentsSquares: 14,
    });
    expect(left.histogram).toEqual(staying.histogram);
  });

  test("narrows the slowest call to what is left, never below it", () => {
    const left = subtractTotals(mergeTotals(calls(900), calls(10, 14)), calls(900));
    expect(left.maxDurationMs).toBeGreaterThanOrEqual(14);
    expect(left.maxDurationMs).toBeLessThan(20);
    expect(left.minDurationMs).toBeLessThanOrEqual(10);
  });

  test("leaves nothing when everything left", () => {
    const all = calls(5, 6);
    expect(subtractTotals(all, all)).toMatchObject({ calls: 0, histogram: [], maxDurationMs: 0 });
  });
});

describe("which window answers a range", () => {
  const now = Date.UTC(2026, 10, 22, 12, 30, 20);
  const starts = new Map([
    ["1h", Date.UTC(2026, 10, 22, 11, 30)],
    ["7d", Date.UTC(2026, 10, 15, 12, 0)],
  ]);

  test("a page range ending now reads its window", () => {
    expect(windowFor(now - HOUR_MS, now, starts)?.key).toBe("1h");
    expect(windowFor(now - 7 * 24 * HOUR_MS, now, starts)?.key).toBe("7d");
  });

  test("a range the window does not start near, or of another length, reads rollups", () => {
    expect(windowFor(now - 2 * HOUR_MS, now - HOUR_MS, starts)).toBeNull();
    expect(windowFor(now - 2 * HOUR_MS, now, starts)).toBeNull();
    expect(windowFor(now - 15 * MINUTE_MS, now, starts)).toBeNull();
  });
});
