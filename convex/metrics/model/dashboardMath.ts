/** Turns rollup totals into what the pages show: rates, shares and percentiles. */
import { percentile } from "./histogram";
import { emptyTotals, mergeTotals, type RollupTotals } from "./rollups";

type FunctionSummary = {
  calls: number;
  failures: number;
  errorRate: number;
  cacheHitRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number;
  meanMs: number;
  meanReadDocuments: number;
  totalTimeMs: number;
};

export function summarize(totals: RollupTotals): FunctionSummary {
  const calls = totals.calls;
  const observed = { minMs: totals.minDurationMs, maxMs: calls === 0 ? null : totals.maxDurationMs };
  return {
    calls,
    failures: totals.failures,
    errorRate: calls === 0 ? 0 : totals.failures / calls,
    cacheHitRate: calls === 0 ? 0 : totals.cacheHits / calls,
    p50Ms: percentile(totals.histogram, 0.5, observed),
    p95Ms: percentile(totals.histogram, 0.95, observed),
    p99Ms: percentile(totals.histogram, 0.99, observed),
    maxMs: totals.maxDurationMs,
    meanMs: calls === 0 ? 0 : totals.durationSumMs / calls,
    meanReadDocuments: calls === 0 ? 0 : totals.readDocuments / calls,
    totalTimeMs: totals.durationSumMs,
  };
}

export function sumTotals(rows: RollupTotals[]): RollupTotals {
  return rows.reduce(mergeTotals, emptyTotals());
}

/** Share of mutations that failed with a write conflict; the seeds alert above 5%. */
export function occShare(totals: RollupTotals): number {
  return totals.mutations === 0 ? 0 : totals.occFailures / totals.mutations;
}
