/**
 * Before/after a deploy, per function: a change is flagged only when it is both large enough to
 * matter and unlikely to be chance for the number of calls on each side.
 *
 * - Error rate: one-sided two-proportion z-test (pooled), z ≥ 2.33 (p < 0.01), and the rate rose by
 *   at least one percentage point with at least 3 failures after: with few calls a single failure
 *   is not a regression, with many a 0.01-point rise is real but not worth waking anyone.
 * - Latency (p95): the same test on the share of calls slower than the before side's p95 bucket,
 *   read from the shared histogram buckets (before ≈ 5% by construction), and the p95 rose by at
 *   least 40%, two histogram buckets (each ~19% wide), so a one-bucket wobble never flags.
 * - Documents read per call: Welch's z on the two means (from each side's sum and sum of squares),
 *   and up by at least 50% and 10 documents. A listing that reads 5–400 documents a call moves its
 *   mean by half in one deploy in forty by chance at 60 calls a side; the spread tells it apart.
 *   Rows kept before the sum of squares was have no spread, and their reads are not judged.
 * Each side needs at least MIN_CALLS calls for any flag: below that the verdict is "too few calls".
 * A deploy tests every function it touched at once, so the 1 % is shared among them (Bonferroni):
 * with ten functions each test needs p < 0.001 (z ≥ 3.09). Uncorrected, ten unchanged functions
 * flagged one by chance in about one deploy in twelve at 30–100 calls a side.
 */
import { bucketIndex, histogramCount, percentile, type Histogram } from "../../metrics/shared";

export const MIN_CALLS = 20;
/** The chance, over all of a deploy's functions together, that an unchanged one is flagged. */
export const FALSE_FLAG_RATE = 0.01;
const MIN_ERROR_RATE_RISE = 0.01;
const MIN_FAILURES_AFTER = 3;
const MIN_P95_RATIO = 1.4;
const MIN_READS_RATIO = 1.5;
const MIN_READS_RISE = 10;

/** What the comparison needs from a side's rollup totals. */
export type SideTotals = {
  calls: number;
  failures: number;
  histogram: Histogram;
  minDurationMs?: number;
  maxDurationMs: number;
  readDocuments: number;
  /** Sum over calls of documents read squared; absent on rows kept before it was. */
  readDocumentsSquares?: number;
};

export type Regression = "errorRate" | "p95" | "readDocuments";

export type FunctionComparison = {
  status: "compared" | "new" | "gone" | "tooFewCalls";
  before: SideSummary;
  after: SideSummary;
  regressions: Regression[];
  /** z of the error-rate, latency and reads tests; null when a side had no calls (or no spread). */
  errorZ: number | null;
  latencyZ: number | null;
  readsZ: number | null;
};

type SideSummary = { calls: number; errorRate: number; p95Ms: number | null; readsPerCall: number };

function side(totals: SideTotals): SideSummary {
  const calls = totals.calls;
  return {
    calls,
    errorRate: calls === 0 ? 0 : totals.failures / calls,
    p95Ms: percentile(totals.histogram, 0.95, {
      minMs: totals.minDurationMs,
      maxMs: calls === 0 ? null : totals.maxDurationMs,
    }),
    readsPerCall: calls === 0 ? 0 : totals.readDocuments / calls,
  };
}

/** P(Z ≥ z) for a standard normal, z ≥ 0 (Abramowitz & Stegun 26.2.17, error below 7.5e-8). */
function upperTail(z: number): number {
  const t = 1 / (1 + 0.2316419 * z);
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
}

/** The z a one-sided test at `alpha` needs: 2.33 at 0.01, 3.09 at 0.001. */
export function criticalZ(alpha: number): number {
  let low = 0;
  let high = 40;
  for (let step = 0; step < 60; step++) {
    const mid = (low + high) / 2;
    if (upperTail(mid) > alpha) low = mid;
    else high = mid;
  }
  return high;
}

/** One-sided z for "the after proportion is higher", pooled; null when undefined (no variance). */
export function twoProportionZ(
  beforeHits: number,
  beforeN: number,
  afterHits: number,
  afterN: number,
): number | null {
  if (beforeN === 0 || afterN === 0) return null;
  const pooled = (beforeHits + afterHits) / (beforeN + afterN);
  const variance = pooled * (1 - pooled) * (1 / beforeN + 1 / afterN);
  if (variance === 0) return null;
  return (afterHits / afterN - beforeHits / beforeN) / Math.sqrt(variance);
}

/**
 * Welch's one-sided z for "the after mean of documents read is higher"; Infinity when neither side
 * varies and the mean rose; null without both sides' spread.
 */
export function readsMeanZ(before: SideTotals, after: SideTotals): number | null {
  const spread = (totals: SideTotals) => {
    if (totals.calls < 2 || totals.readDocumentsSquares === undefined) return null;
    const mean = totals.readDocuments / totals.calls;
    const variance = Math.max(
      0,
      (totals.readDocumentsSquares - totals.calls * mean * mean) / (totals.calls - 1),
    );
    return { mean, varianceOfMean: variance / totals.calls };
  };
  const a = spread(before);
  const b = spread(after);
  if (a === null || b === null) return null;
  const rise = b.mean - a.mean;
  const standardError = Math.sqrt(a.varianceOfMean + b.varianceOfMean);
  if (standardError === 0) return rise > 0 ? Infinity : 0;
  return rise / standardError;
}

/** Calls slower than the bucket holding `q` of `reference`: counted in `histogram`. */
function slowerThanBucketOf(reference: Histogram, q: number, histogram: Histogram): number {
  const rank = Math.max(1, Math.ceil(q * histogramCount(reference)));
  let seen = 0;
  let index = 0;
  for (; index < reference.length; index++) {
    seen += reference[index] ?? 0;
    if (seen >= rank) break;
  }
  return histogram.slice(index + 1).reduce((total, count) => total + count, 0);
}

/** `functionsCompared`: how many functions the deploy's verdict tests together (at least 1). */
export function compareFunction(
  before: SideTotals,
  after: SideTotals,
  functionsCompared = 1,
): FunctionComparison {
  const zCritical = criticalZ(FALSE_FLAG_RATE / Math.max(1, functionsCompared));
  const summaries = { before: side(before), after: side(after) };
  if (before.calls === 0 && after.calls > 0) {
    return { status: "new", ...summaries, regressions: [], errorZ: null, latencyZ: null, readsZ: null };
  }
  if (after.calls === 0) {
    return { status: "gone", ...summaries, regressions: [], errorZ: null, latencyZ: null, readsZ: null };
  }
  const errorZ = twoProportionZ(before.failures, before.calls, after.failures, after.calls);
  const slowBefore = slowerThanBucketOf(before.histogram, 0.95, before.histogram);
  const slowAfter = slowerThanBucketOf(before.histogram, 0.95, after.histogram);
  const latencyZ = twoProportionZ(slowBefore, before.calls, slowAfter, after.calls);
  const readsZ = readsMeanZ(before, after);
  if (before.calls < MIN_CALLS || after.calls < MIN_CALLS) {
    return { status: "tooFewCalls", ...summaries, regressions: [], errorZ, latencyZ, readsZ };
  }
  const regressions: Regression[] = [];
  if (
    errorZ !== null &&
    errorZ >= zCritical &&
    summaries.after.errorRate - summaries.before.errorRate >= MIN_ERROR_RATE_RISE &&
    after.failures >= MIN_FAILURES_AFTER
  ) {
    regressions.push("errorRate");
  }
  const { p95Ms: p95Before } = summaries.before;
  const { p95Ms: p95After } = summaries.after;
  if (
    latencyZ !== null &&
    latencyZ >= zCritical &&
    p95Before !== null &&
    p95After !== null &&
    bucketIndex(p95After) > bucketIndex(p95Before) &&
    p95After >= MIN_P95_RATIO * p95Before
  ) {
    regressions.push("p95");
  }
  const { readsPerCall: readsBefore } = summaries.before;
  const { readsPerCall: readsAfter } = summaries.after;
  if (
    readsZ !== null &&
    readsZ >= zCritical &&
    readsAfter >= MIN_READS_RATIO * readsBefore &&
    readsAfter - readsBefore >= MIN_READS_RISE
  ) {
    regressions.push("readDocuments");
  }
  return { status: "compared", ...summaries, regressions, errorZ, latencyZ, readsZ };
}
