/** Rollup points as charts need them: one per bucket across the whole range, empty buckets as zero. */

export type SeriesPoint = {
  bucket: number;
  calls: number;
  slowCalls: number;
  failures: number;
  failuresByCode: Record<string, number>;
  errorRate: number;
  p95Ms: number | null;
  occShare: number;
};

export function emptyPoint(bucket: number): SeriesPoint {
  return {
    bucket,
    calls: 0,
    slowCalls: 0,
    failures: 0,
    failuresByCode: {},
    errorRate: 0,
    p95Ms: null,
    occShare: 0,
  };
}

export { fillBuckets } from "@/lib/buckets";

/** Error codes in these points, most failures first. */
export function codesByFrequency(points: readonly SeriesPoint[]): Array<{ code: string; failures: number }> {
  const totals = new Map<string, number>();
  for (const point of points) {
    for (const [code, count] of Object.entries(point.failuresByCode)) {
      totals.set(code, (totals.get(code) ?? 0) + count);
    }
  }
  return [...totals.entries()]
    .map(([code, failures]) => ({ code, failures }))
    .sort((a, b) => b.failures - a.failures || a.code.localeCompare(b.code));
}

const CODE_COLORS: Record<string, string> = {
  OCC: "#d97706",
  VALIDATION_ERROR: "#7c3aed",
  NOT_FOUND: "#0891b2",
  UNAUTHENTICATED: "#be185d",
  UNAUTHORIZED: "#db2777",
  RATE_LIMIT_EXCEEDED: "#65a30d",
  LIMIT_EXCEEDED: "#ca8a04",
  TIMEOUT: "#2563eb",
  INTERNAL: "#dc2626",
};
const OTHER_COLORS = ["#0d9488", "#9333ea", "#ea580c", "#4f46e5", "#16a34a", "#a16207"];

/** A stable colour per error code; the chart's legend and tooltip also name each code. */
export function colorForCode(code: string): string {
  const known = CODE_COLORS[code];
  if (known) return known;
  let hash = 0;
  for (const char of code) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return OTHER_COLORS[hash % OTHER_COLORS.length]!;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/** Axis labels in local time: "14:05" within a day, "Mar 04, 14:00" beyond. */
export function formatBucketTick(ms: number, rangeMs: number): string {
  return rangeMs <= 24 * 60 * 60_000 ? timeFormat.format(ms) : dayTimeFormat.format(ms);
}

export function formatBucketLabel(ms: number): string {
  return dayTimeFormat.format(ms);
}
