import { describe, expect, test } from "vitest";
import { histogramCount, percentile } from "./histogram";
import type { ExecutionRecord } from "./logEvents";
import { ALL_FUNCTIONS, emptyTotals, mergeTotals, rollupDeltas } from "./rollups";

const MINUTE = Date.UTC(2026, 10, 22, 10, 5);

function execution(overrides: Partial<ExecutionRecord>): ExecutionRecord {
  return {
    deployment: "prod-a",
    ts: MINUTE + 1000,
    requestId: "r",
    functionPath: "tasks:list",
    functionType: "query",
    cached: false,
    status: "success",
    durationMs: 10,
    errorCode: null,
    errorMessage: null,
    normalizedError: null,
    occTable: null,
    runReason: null,
    readDocuments: 1,
    readBytes: 100,
    writeDocuments: 0,
    writeBytes: 0,
    ...overrides,
  };
}

describe("rollupDeltas", () => {
  const batch = [
    execution({ durationMs: 12, cached: true }),
    execution({ durationMs: 300, ts: MINUTE + 59_000 }),
    execution({
      functionPath: "tasks:update",
      functionType: "mutation",
      status: "failure",
      errorCode: "OCC",
      ts: MINUTE + 61_000,
    }),
    execution({ deployment: "dev-b" }),
  ];
  const deltas = rollupDeltas(batch);
  const find = (deployment: string, granularity: string, functionPath: string, bucket: number) =>
    deltas.find(
      (delta) =>
        delta.scope.deployment === deployment &&
        delta.scope.granularity === granularity &&
        delta.scope.functionPath === functionPath &&
        delta.scope.bucket === bucket,
    )?.totals;

  test("each function gets one delta per minute and hour bucket, and the all-functions series sums them", () => {
    expect(find("prod-a", "minute", "tasks:list", MINUTE)).toMatchObject({
      calls: 2,
      cacheHits: 1,
      maxDurationMs: 300,
      durationSumMs: 312,
      slowCalls: 1,
    });
    expect(find("prod-a", "minute", ALL_FUNCTIONS, MINUTE)?.calls).toBe(2);
    expect(find("prod-a", "minute", ALL_FUNCTIONS, MINUTE + 60_000)).toMatchObject({
      calls: 1,
      failures: 1,
      mutations: 1,
      occFailures: 1,
      failuresByCode: { OCC: 1 },
    });
    expect(find("prod-a", "hour", ALL_FUNCTIONS, Date.UTC(2026, 10, 22, 10))?.calls).toBe(3);
  });

  test("deployments never mix", () => {
    expect(find("dev-b", "hour", ALL_FUNCTIONS, Date.UTC(2026, 10, 22, 10))?.calls).toBe(1);
  });

  test("the histogram of a bucket holds every call in it", () => {
    const hour = find("prod-a", "hour", ALL_FUNCTIONS, Date.UTC(2026, 10, 22, 10))!;
    expect(histogramCount(hour.histogram)).toBe(3);
    expect(percentile(hour.histogram, 1)).toBeGreaterThan(250);
  });
});

test("merging totals is addition, and merging with empty changes nothing", () => {
  const [delta] = rollupDeltas([execution({ status: "failure", errorCode: "TIMEOUT", durationMs: 1000 })]);
  const twice = mergeTotals(delta!.totals, delta!.totals);
  expect(twice).toMatchObject({ calls: 2, failures: 2, failuresByCode: { TIMEOUT: 2 }, maxDurationMs: 1000 });
  expect(mergeTotals(emptyTotals(), delta!.totals)).toEqual(delta!.totals);
});
