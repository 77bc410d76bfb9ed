/** Pure view logic of the Usage page: chart rows, storage kinds, the Convex comparison in words. */
import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import { METRIC_LABELS, type UsageMetric } from "@convex/usage/shared";
import { formatUsageAmount, formatUsageDay } from "@/lib/usageFormat";

export type UsageSummary = FunctionReturnType<typeof api.usage.usage.summary>;
export type MetricSummary = UsageSummary["metrics"][number];
export type TopFunctions = FunctionReturnType<typeof api.usage.usage.topFunctions>;
export type ConvexFigures = FunctionReturnType<typeof api.usage.usage.convexFigures>;

export type ChartSeries = { key: string; name: string };
export type ChartRow = { label: string } & Record<string, number | string>;

/** Rows for a stacked daily bar chart: one per day, one column per series (`s0`, `s1`, …). */
export function dailyChartRows(
  metric: MetricSummary,
  timeZone: string,
): { rows: ChartRow[]; series: ChartSeries[] } {
  const series = metric.seriesKeys.map((name, index) => ({ key: `s${index}`, name }));
  const rows = metric.daily.map((point) => {
    const row: ChartRow = { label: formatUsageDay(point.dayStart, timeZone) };
    point.values.forEach((value, index) => {
      row[`s${index}`] = value;
    });
    return row;
  });
  return { rows, series };
}

export type StorageKindRow = { metric: UsageMetric; kind: string; bytes: number };

/** Storage by kind, grouped as Convex bills it: tables and indexes; files and backups; text and vector. */
export function storageKindRows(byKind: UsageSummary["storageByKind"]): StorageKindRow[] {
  if (byKind === null) return [];
  return [
    { metric: "databaseStorage", kind: "Tables (documents)", bytes: byKind.documentBytes },
    { metric: "databaseStorage", kind: "Indexes", bytes: byKind.indexBytes },
    { metric: "fileStorage", kind: "User files", bytes: byKind.fileBytes },
    { metric: "fileStorage", kind: "Cloud backups", bytes: byKind.backupBytes },
    { metric: "searchStorage", kind: "Text search indexes", bytes: byKind.textBytes },
    { metric: "searchStorage", kind: "Vector search indexes", bytes: byKind.vectorBytes },
  ];
}

/**
 * "12 calls more than Convex counts", "matches Convex", in the metric's unit. Only a difference
 * below the unit's resolution (half a call, about a kilobyte) counts as a match: an operator
 * comparing meters wants to see every real gap.
 */
export function differenceText(metric: UsageMetric, difference: number): string {
  const tolerance = metric === "functionCalls" ? 0.5 : 1e-6;
  if (Math.abs(difference) < tolerance) return "matches Convex";
  const amount = formatUsageAmount(metric, Math.abs(difference));
  return difference > 0 ? `${amount} more than Convex counts` : `${amount} fewer than Convex counts`;
}

/** Why Convex's own figures are not shown, as a sentence; null when they are. */
export function convexFiguresSentence(figures: ConvexFigures): string | null {
  if (figures.connected === null) {
    return "No deployment is connected, so Convex's own usage figures cannot be read. An admin connects one in Settings.";
  }
  if (figures.figures === null)
    return `Convex's own figures for ${figures.connected} have not been read yet.`;
  if (figures.figures.state === "failed") {
    return `Convex's own figures for ${figures.connected} could not be read: ${figures.figures.problem ?? "no reason given"}`;
  }
  if (figures.figures.rows.length === 0) return `${figures.connected} reported no usage metrics.`;
  return null;
}

export const TOP_MEASURES = [
  { key: "calls", metric: "functionCalls", title: "Function calls" },
  { key: "databaseIo", metric: "databaseIo", title: "Database I/O" },
  { key: "actionCompute", metric: "actionCompute", title: "Action compute" },
  { key: "dataEgress", metric: "dataEgress", title: "Data egress" },
] as const satisfies ReadonlyArray<{ key: keyof TopFunctions; metric: UsageMetric; title: string }>;

export function metricLabel(metric: UsageMetric): string {
  return METRIC_LABELS[metric];
}

/**
 * Why Convex's month may be short, from `seedStatus`; null when the meter holds the whole month.
 * `failed` is what a deployment without history before it started says (the local backend).
 */
export function seedStatusNote(status: string | null): string | null {
  if (status === "complete") return null;
  if (status === "failed")
    return "this deployment keeps no usage history from before it started, so its month may be short";
  return `Convex's meter is still filling in (${status ?? "status unknown"}), so its month may be short`;
}
