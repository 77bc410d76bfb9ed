import { Area, AreaChart, ReferenceLine, ResponsiveContainer, YAxis } from "recharts";

type SparklineProps = {
  values: Array<{ bucket: number; value: number | null }>;
  /** Drawn as a dashed line. */
  threshold?: number;
  alert?: boolean;
};

/** A tile's trend line. Decorative: the tile's text says the value, the threshold and the trend. */
export function Sparkline({ values, threshold, alert = false }: SparklineProps) {
  const color = alert ? "#dc2626" : "#3b82f6";
  return (
    <div className="sparkline" aria-hidden="true">
      <ResponsiveContainer width="100%" height={40}>
        <AreaChart accessibilityLayer={false} data={values} margin={{ top: 2, right: 0, bottom: 2, left: 0 }}>
          <YAxis hide domain={[0, (max: number) => Math.max(max, threshold ?? 0) || 1]} />
          <Area
            type="monotone"
            dataKey="value"
            stroke={color}
            fill={color}
            fillOpacity={0.15}
            strokeWidth={1.5}
            isAnimationActive={false}
            connectNulls
          />
          {threshold !== undefined && (
            <ReferenceLine y={threshold} stroke="currentColor" strokeOpacity={0.5} strokeDasharray="3 3" />
          )}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
