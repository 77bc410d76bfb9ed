/** URL search params of the Usage page: which metric the daily chart shows. Unknown values are ignored. */
import { USAGE_METRICS, type UsageMetric } from "@convex/usage/shared";

export type UsageSearch = { chart?: UsageMetric };

export function parseUsageSearch(search: Record<string, unknown>): UsageSearch {
  const chart = search.chart;
  return {
    chart:
      typeof chart === "string" && (USAGE_METRICS as readonly string[]).includes(chart)
        ? (chart as UsageMetric)
        : undefined,
  };
}
