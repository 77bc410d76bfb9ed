import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { isStorageMetric, METRIC_UNITS } from "@convex/usage/shared";
import { ChartFrame } from "@/components/ChartFrame";
import { StaticTable } from "@/components/StaticTable";
import { formatUsageAmount } from "@/lib/usageFormat";
import { dailyChartRows, metricLabel, type MetricSummary } from "../Usage.utils";

const PALETTE = ["#3b6fd8", "#c2410c", "#0f766e", "#9333ea", "#b45309", "#be123c", "#4d7c0f", "#0369a1"];

/** One metric per day this month, stacked by deployment (database I/O: each deployment's reads and writes). */
export function UsageChart({ metric, timeZone }: { metric: MetricSummary; timeZone: string }) {
  const { rows, series } = dailyChartRows(metric, timeZone);
  const label = metricLabel(metric.metric);
  if (rows.length === 0) {
    return (
      <p className="muted">
        {metric.value === null
          ? `${label} is not reported: Convex sends storage in the log stream about hourly, and self-hosted deployments do not send it.`
          : `No ${label.toLowerCase()} recorded this month.`}
      </p>
    );
  }
  const total = metric.value;
  return (
    <>
      <p className="chart-summary">
        {label} per day this month, stacked by deployment
        {metric.metric === "databaseIo" ? " (reads and writes apart)" : ""}:{" "}
        {isStorageMetric(metric.metric)
          ? `now ${formatUsageAmount(metric.metric, total)}`
          : `${formatUsageAmount(metric.metric, total)} so far`}
        , over {rows.length} {rows.length === 1 ? "day" : "days"}.
      </p>
      <ChartFrame height={240}>
        <BarChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fill: "currentColor", fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
            minTickGap={16}
          />
          <YAxis
            tick={{ fill: "currentColor", fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
            width={56}
            tickFormatter={(value: number) =>
              formatUsageAmount(metric.metric, value).replace(` ${METRIC_UNITS[metric.metric]}`, "")
            }
          />
          <Tooltip
            formatter={(value) => formatUsageAmount(metric.metric, Number(value))}
            contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }}
          />
          <Legend />
          {series.map((entry, index) => (
            <Bar
              key={entry.key}
              dataKey={entry.key}
              name={entry.name}
              stackId="usage"
              fill={PALETTE[index % PALETTE.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ChartFrame>
      <details>
        <summary>Show the chart's data as a table</summary>
        <StaticTable
          caption={`${label} per day by deployment (${METRIC_UNITS[metric.metric]})`}
          scroll
          rows={rows}
          rowKey={(row) => row.label}
          columns={[
            { header: "Day", cell: (row) => row.label },
            ...series.map((entry) => ({
              header: entry.name,
              key: entry.key,
              cell: (row: (typeof rows)[number]) =>
                formatUsageAmount(metric.metric, Number(row[entry.key] ?? 0)),
            })),
          ]}
        />
      </details>
    </>
  );
}
