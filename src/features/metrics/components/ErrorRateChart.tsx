import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/components/ChartFrame";
import { formatCount, formatPercent } from "@/lib/format";
import { colorForCode, formatBucketLabel, formatBucketTick, type SeriesPoint } from "../series";

type ErrorRateChartProps = {
  /** One point per bucket, empty buckets included. */
  points: SeriesPoint[];
  codes: string[];
  rangeMs: number;
  /** Deploys of the watched deployment in the range, drawn as dashed markers. */
  deploys?: Array<{ ts: number }>;
};

type ChartRow = { bucket: number; calls: number; failures: number } & Record<string, number>;

/** Key of a code's series in a chart row; prefixed so a code can never collide with bucket/calls. */
const key = (code: string) => `code:${code}`;

/**
 * The buckets deploys fall in, oldest first, once each: the bar chart's x axis has one category
 * per bucket, so a marker sits on the bucket whose interval holds the deploy.
 */
export function deployBuckets(points: Array<{ bucket: number }>, deploys: Array<{ ts: number }>): number[] {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined || points.length < 2) return [];
  const bucketMs = points[1]!.bucket - first.bucket;
  const buckets = new Set<number>();
  for (const { ts } of deploys) {
    if (ts < first.bucket || ts >= last.bucket + bucketMs) continue;
    buckets.add(first.bucket + Math.floor((ts - first.bucket) / bucketMs) * bucketMs);
  }
  return [...buckets].sort((a, b) => a - b);
}

/** Error rate per bucket, stacked by error code: the stack's height is the bucket's error rate. */
export function ErrorRateChart({ points, codes, rangeMs, deploys = [] }: ErrorRateChartProps) {
  const markers = deployBuckets(points, deploys);
  const rows: ChartRow[] = points.map((point) => {
    const row: ChartRow = { bucket: point.bucket, calls: point.calls, failures: point.failures };
    for (const code of codes) {
      const failures = point.failuresByCode[code] ?? 0;
      row[key(code)] = point.calls === 0 ? 0 : (failures / point.calls) * 100;
    }
    return row;
  });
  return (
    <>
      <ChartFrame height={260}>
        <BarChart
          accessibilityLayer={false}
          data={rows}
          margin={{ top: 8, right: 12, bottom: 4, left: 4 }}
          barCategoryGap={1}
        >
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} vertical={false} />
          <XAxis
            dataKey="bucket"
            tickFormatter={(value: number) => formatBucketTick(value, rangeMs)}
            tick={{ fill: "currentColor", fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
            minTickGap={40}
          />
          <YAxis
            tickFormatter={(value: number) => `${value}%`}
            tick={{ fill: "currentColor", fontSize: 12 }}
            stroke="currentColor"
            strokeOpacity={0.4}
            width={48}
            allowDecimals
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={({ active, payload, label }) => {
              const row = payload?.[0]?.payload as ChartRow | undefined;
              if (!active || row === undefined) return null;
              return (
                <div className="chart-tooltip">
                  <p className="chart-tooltip-title">{formatBucketLabel(Number(label))}</p>
                  <p>
                    {formatCount(row.failures)} failures of {formatCount(row.calls)} calls (
                    {formatPercent(row.calls === 0 ? 0 : row.failures / row.calls)})
                  </p>
                  <ul>
                    {codes
                      .filter((code) => (row[key(code)] ?? 0) > 0)
                      .map((code) => (
                        <li key={code}>
                          <span className="swatch" style={{ background: colorForCode(code) }} /> {code}:{" "}
                          {formatPercent((row[key(code)] ?? 0) / 100)}
                        </li>
                      ))}
                  </ul>
                </div>
              );
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {codes.map((code) => (
            <Bar
              key={code}
              dataKey={key(code)}
              name={code}
              stackId="errors"
              fill={colorForCode(code)}
              isAnimationActive={false}
            />
          ))}
          {markers.map((bucket) => (
            <ReferenceLine
              key={`deploy-${bucket}`}
              x={bucket}
              stroke="currentColor"
              strokeDasharray="4 3"
              strokeOpacity={0.7}
              label={{ value: "deploy", position: "insideTopRight", fill: "currentColor", fontSize: 11 }}
            />
          ))}
        </BarChart>
      </ChartFrame>
      {markers.length > 0 && (
        <p className="muted">
          Dashed lines mark {deploys.length} deploy{deploys.length === 1 ? "" : "s"} in this range.
        </p>
      )}
    </>
  );
}
