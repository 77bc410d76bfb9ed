/**
 * Convex's own meter (`GET /api/v1/get_current_usage`) beside ours. Convex names its usage-limit
 * metrics differently and splits action compute by runtime; this maps them onto the plan metrics.
 * Convex's month is the UTC calendar month; ours is the team's, so a small difference near the
 * month's edges is expected.
 */
import type { UsageMetric } from "./plans";

const CONVEX_METRICS: Partial<Record<UsageMetric, string[]>> = {
  functionCalls: ["functionCalls"],
  actionCompute: ["actionComputeConvexGbHours", "actionComputeNodeJsGbHours"],
  databaseIo: ["databaseIoGb"],
  dataEgress: ["dataEgressGb"],
  searchQueries: ["searchQueryGb"],
};

export type ConvexMetricFigure = { metric: string; unit: string; currentDay: number; currentMonth: number };

export type FigureComparison = {
  metric: UsageMetric;
  ours: number;
  convexMonth: number;
  convexDay: number;
  /** Ours minus Convex's, in the metric's unit. */
  difference: number;
};

export function compareWithConvex(
  ours: Partial<Record<UsageMetric, number>>,
  figures: ConvexMetricFigure[],
): FigureComparison[] {
  const byName = new Map(figures.map((figure) => [figure.metric, figure]));
  const rows: FigureComparison[] = [];
  for (const [metric, names] of Object.entries(CONVEX_METRICS) as [UsageMetric, string[]][]) {
    const matched = names.map((name) => byName.get(name)).filter((figure) => figure !== undefined);
    if (matched.length === 0) continue;
    const convexMonth = matched.reduce((sum, figure) => sum + figure.currentMonth, 0);
    const convexDay = matched.reduce((sum, figure) => sum + figure.currentDay, 0);
    const value = ours[metric] ?? 0;
    rows.push({ metric, ours: value, convexMonth, convexDay, difference: value - convexMonth });
  }
  return rows;
}
