type SparklineProps = {
  values: Array<{ bucket: number; value: number | null }>;
  /** Drawn as a dashed line. */
  threshold?: number;
  alert?: boolean;
};

const WIDTH = 100;
const HEIGHT = 40;
const PAD = 2;

/**
 * A tile's trend line. Decorative: the tile's text says the value, the threshold and the trend.
 * Drawn as plain SVG rather than with the chart library: the Overview then opens without
 * downloading and running recharts (300 KB) first. Minutes without a value are bridged.
 */
export function Sparkline({ values, threshold, alert = false }: SparklineProps) {
  const color = alert ? "#dc2626" : "#3b82f6";
  const points = values.flatMap((point, index) =>
    point.value === null ? [] : [{ index, value: point.value }],
  );
  const top = Math.max(...points.map((point) => point.value), threshold ?? 0) || 1;
  const x = (index: number) => (values.length < 2 ? WIDTH / 2 : (index / (values.length - 1)) * WIDTH);
  const y = (value: number) => HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD);
  const line = points.map((point) => `${x(point.index)},${y(point.value)}`).join(" ");
  const first = points[0];
  const last = points.at(-1);
  return (
    <div className="sparkline" aria-hidden="true">
      <svg width="100%" height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none">
        {first !== undefined && last !== undefined && (
          <>
            <polygon
              points={`${x(first.index)},${HEIGHT - PAD} ${line} ${x(last.index)},${HEIGHT - PAD}`}
              fill={color}
              fillOpacity={0.15}
            />
            <polyline
              points={line}
              fill="none"
              stroke={color}
              strokeWidth={1.5}
              vectorEffect="non-scaling-stroke"
            />
          </>
        )}
        {threshold !== undefined && (
          <line
            x1={0}
            x2={WIDTH}
            y1={y(threshold)}
            y2={y(threshold)}
            stroke="currentColor"
            strokeOpacity={0.5}
            strokeDasharray="3 3"
            vectorEffect="non-scaling-stroke"
          />
        )}
      </svg>
    </div>
  );
}
