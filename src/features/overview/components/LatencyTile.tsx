import { formatDuration } from "@/lib/format";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { RuleTile } from "./Tile";

/** The last hour's p95 latency; a minute without calls has no percentile, so its trend point is empty. */
export function LatencyTile({ overview, judgement, now }: TileCardProps) {
  const trend = hourTrend(overview.series, now, (point) => point.p95Ms, null);
  const idle = overview.p95Ms === null ? "No calls in the last hour" : null;
  const value = formatDuration(overview.p95Ms);
  return <RuleTile label="p95 latency" value={value} rule={judgement} idle={idle} trend={trend} />;
}
