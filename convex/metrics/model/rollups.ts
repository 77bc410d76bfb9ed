/**
 * Rollup arithmetic: a batch of executions becomes one delta per (deployment, granularity, bucket,
 * function), plus the all-functions series under ALL_FUNCTIONS, so each rollup document is written
 * once per batch however many events it holds.
 */
import { addToHistogram, mergeHistograms, type Histogram } from "./histogram";
import type { ExecutionRecord } from "./logEvents";
import { DEFAULT_SLOW_QUERY_THRESHOLDS, isSlow, type SlowQueryThresholds } from "../../lib/slowQuery";
import { bucketStart, type Granularity } from "./timeBuckets";

export const ALL_FUNCTIONS = "*";
export const GRANULARITIES: Granularity[] = ["minute", "hour"];

export type RollupTotals = {
  calls: number;
  failures: number;
  failuresByCode: Record<string, number>;
  cacheHits: number;
  /** Executions over the duration or documents-read threshold. */
  slowCalls: number;
  mutations: number;
  occFailures: number;
  durationSumMs: number;
  maxDurationMs: number;
  /** Fastest call; absent on rows written before it was kept, and on empty totals. */
  minDurationMs?: number;
  histogram: Histogram;
  readDocuments: number;
  /**
   * Each call's documents read, squared and summed: with `readDocuments`, the spread a deploy's
   * verdict needs to tell a real rise from chance. Absent on rows written before it was kept.
   */
  readDocumentsSquares?: number;
  readBytes: number;
  writeDocuments: number;
  writeBytes: number;
};

type RollupScope = {
  deployment: string;
  granularity: Granularity;
  bucket: number;
  functionPath: string;
  functionType: string;
};

export function emptyTotals(): RollupTotals {
  return {
    calls: 0,
    failures: 0,
    failuresByCode: {},
    cacheHits: 0,
    slowCalls: 0,
    mutations: 0,
    occFailures: 0,
    durationSumMs: 0,
    maxDurationMs: 0,
    histogram: [],
    readDocuments: 0,
    readDocumentsSquares: 0,
    readBytes: 0,
    writeDocuments: 0,
    writeBytes: 0,
  };
}

function addExecution(
  totals: RollupTotals,
  record: ExecutionRecord,
  slow: SlowQueryThresholds,
): RollupTotals {
  const failed = record.status === "failure";
  const code = record.errorCode ?? "INTERNAL";
  return {
    calls: totals.calls + 1,
    failures: totals.failures + (failed ? 1 : 0),
    failuresByCode: failed
      ? { ...totals.failuresByCode, [code]: (totals.failuresByCode[code] ?? 0) + 1 }
      : totals.failuresByCode,
    cacheHits: totals.cacheHits + (record.cached ? 1 : 0),
    slowCalls:
      totals.slowCalls +
      (isSlow({ durationMs: record.durationMs, dbCalls: 0, docsScanned: record.readDocuments }, slow)
        ? 1
        : 0),
    mutations: totals.mutations + (record.functionType === "mutation" ? 1 : 0),
    occFailures: totals.occFailures + (failed && code === "OCC" ? 1 : 0),
    durationSumMs: totals.durationSumMs + record.durationMs,
    maxDurationMs: Math.max(totals.maxDurationMs, record.durationMs),
    minDurationMs: fastest(totals, { calls: 1, minDurationMs: record.durationMs }),
    histogram: addToHistogram(totals.histogram, record.durationMs),
    readDocuments: totals.readDocuments + record.readDocuments,
    readDocumentsSquares: keptSum(totals, {
      calls: 1,
      readDocumentsSquares: record.readDocuments * record.readDocuments,
    }),
    readBytes: totals.readBytes + record.readBytes,
    writeDocuments: totals.writeDocuments + record.writeDocuments,
    writeBytes: totals.writeBytes + record.writeBytes,
  };
}

type MinSide = Pick<RollupTotals, "calls" | "minDurationMs">;

/** The fastest of two totals; unknown when a side with calls predates keeping the minimum. */
function fastest(a: MinSide, b: MinSide): number | undefined {
  if (a.calls === 0) return b.minDurationMs;
  if (b.calls === 0) return a.minDurationMs;
  if (a.minDurationMs === undefined || b.minDurationMs === undefined) return undefined;
  return Math.min(a.minDurationMs, b.minDurationMs);
}

type SquaresSide = Pick<RollupTotals, "calls" | "readDocumentsSquares">;

/** The two sums of squares added; unknown when a side with calls predates keeping them. */
function keptSum(a: SquaresSide, b: SquaresSide): number | undefined {
  if (a.calls === 0) return b.readDocumentsSquares;
  if (b.calls === 0) return a.readDocumentsSquares;
  if (a.readDocumentsSquares === undefined || b.readDocumentsSquares === undefined) return undefined;
  return a.readDocumentsSquares + b.readDocumentsSquares;
}

export function mergeTotals(a: RollupTotals, b: RollupTotals): RollupTotals {
  const failuresByCode = { ...a.failuresByCode };
  for (const [code, failures] of Object.entries(b.failuresByCode)) {
    failuresByCode[code] = (failuresByCode[code] ?? 0) + failures;
  }
  return {
    calls: a.calls + b.calls,
    failures: a.failures + b.failures,
    failuresByCode,
    cacheHits: a.cacheHits + b.cacheHits,
    slowCalls: a.slowCalls + b.slowCalls,
    mutations: a.mutations + b.mutations,
    occFailures: a.occFailures + b.occFailures,
    durationSumMs: a.durationSumMs + b.durationSumMs,
    maxDurationMs: Math.max(a.maxDurationMs, b.maxDurationMs),
    minDurationMs: fastest(a, b),
    histogram: mergeHistograms(a.histogram, b.histogram),
    readDocuments: a.readDocuments + b.readDocuments,
    readDocumentsSquares: keptSum(a, b),
    readBytes: a.readBytes + b.readBytes,
    writeDocuments: a.writeDocuments + b.writeDocuments,
    writeBytes: a.writeBytes + b.writeBytes,
  };
}

function scopeKey(scope: Omit<RollupScope, "functionType">): string {
  return `${scope.deployment}\u0000${scope.granularity}\u0000${scope.bucket}\u0000${scope.functionPath}`;
}

export function rollupDeltas(
  records: ExecutionRecord[],
  slow: SlowQueryThresholds = DEFAULT_SLOW_QUERY_THRESHOLDS,
): Array<{ scope: RollupScope; totals: RollupTotals }> {
  const deltas = new Map<string, { scope: RollupScope; totals: RollupTotals }>();
  for (const record of records) {
    for (const granularity of GRANULARITIES) {
      const bucket = bucketStart(record.ts, granularity);
      for (const [functionPath, functionType] of [
        [record.functionPath, record.functionType],
        [ALL_FUNCTIONS, "all"],
      ] as const) {
        const scope = { deployment: record.deployment, granularity, bucket, functionPath, functionType };
        const key = scopeKey(scope);
        const current = deltas.get(key) ?? { scope, totals: emptyTotals() };
        deltas.set(key, { scope, totals: addExecution(current.totals, record, slow) });
      }
    }
  }
  return [...deltas.values()];
}
