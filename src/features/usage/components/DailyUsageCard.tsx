import { USAGE_METRICS, type UsageMetric } from "@convex/usage/shared";
import { SelectField } from "@/components/SelectField";
import type { UsageSearch } from "../search";
import { metricLabel, type UsageSummary } from "../Usage.utils";
import { UsageChart } from "./UsageChart";

type DailyUsageCardProps = {
  summary: UsageSummary;
  search: UsageSearch;
  onSearchChange: (search: UsageSearch) => void;
};

/** One metric's usage day by day this month; the metric is chosen in the URL. */
export function DailyUsageCard({ summary, search, onSearchChange }: DailyUsageCardProps) {
  const chartMetric = search.chart ?? "functionCalls";
  const chart = summary.metrics.find((metric) => metric.metric === chartMetric)!;
  return (
    <section aria-labelledby="usage-chart-heading" className="stack card">
      <div className="toolbar">
        <h2 id="usage-chart-heading">Daily usage</h2>
        <SelectField
          label="Metric"
          value={chartMetric}
          options={USAGE_METRICS.map((metric) => ({ value: metric, label: metricLabel(metric) }))}
          onChange={(value) =>
            onSearchChange({ chart: value === "functionCalls" ? undefined : (value as UsageMetric) })
          }
        />
      </div>
      <UsageChart metric={chart} timeZone={summary.timeZone} />
    </section>
  );
}
