/** Pure view logic of the function and deploy pages. */
import type { Regression } from "@convex/functions/shared";
import { formatCount, formatDuration, formatPercent } from "@/lib/format";

/** The Logs page's query for one function (the Logs issue's syntax), prefilled. */
export function logsHref(functionPath: string): string {
  return `/logs?q=${encodeURIComponent(`function:"${functionPath}"`)}`;
}

export const REGRESSION_LABELS: Record<Regression, string> = {
  errorRate: "error rate up",
  p95: "p95 up",
  readDocuments: "documents read up",
};

export function regressionText(kinds: string[]): string {
  return kinds.map((kind) => REGRESSION_LABELS[kind as Regression] ?? kind).join(", ");
}

export function watchingText(minutesLeft: number): string {
  return `watching, ${minutesLeft} ${minutesLeft === 1 ? "minute" : "minutes"} left`;
}

/** Error codes seen in a function's points, most failures first: the stacked bars' order. */
export function codesOf(points: Array<{ failuresByCode: Record<string, number> }>): string[] {
  const totals = new Map<string, number>();
  for (const point of points) {
    for (const [code, count] of Object.entries(point.failuresByCode))
      totals.set(code, (totals.get(code) ?? 0) + count);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([code]) => code);
}

/** The bucket a deploy falls in, for a marker on a chart whose x axis is bucket starts. */
export function markerBuckets(deploys: Array<{ ts: number }>, bucketMs: number): number[] {
  return [...new Set(deploys.map(({ ts }) => Math.floor(ts / bucketMs) * bucketMs))];
}

type Side = { calls: number; errorRate: number; p95Ms: number | null };

/** The newest deploy's jump in words: p95, error rate and calls over the verdict's window either side. */
export function aroundDeployText({
  before,
  after,
  windowMs,
}: {
  before: Side;
  after: Side;
  windowMs: number;
}) {
  const minutes = Math.round(windowMs / 60_000);
  return (
    `p95 ${formatDuration(before.p95Ms)} → ${formatDuration(after.p95Ms)}, ` +
    `error rate ${formatPercent(before.errorRate)} → ${formatPercent(after.errorRate)}, ` +
    `calls ${formatCount(before.calls)} → ${formatCount(after.calls)} ` +
    `(${minutes} ${minutes === 1 ? "minute" : "minutes"} either side)`
  );
}
