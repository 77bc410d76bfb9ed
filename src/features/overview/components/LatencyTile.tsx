import { formatDuration } from "@/lib/format";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** The last hour's p95 latency; a minute without calls has no percentile, so its trend point is empty. */
export function LatencyTile({ overview, state, now }: TileCardProps) {
  return (
    <Tile
      label="p95 latency"
      value={formatDuration(overview.p95Ms)}
      state={state}
      thresholdText={
        state === "none"
          ? "No calls in the last hour"
          : `threshold ${formatDuration(overview.thresholds.p95Ms)}`
      }
      trend={hourTrend(overview.series, now, (point) => point.p95Ms, null)}
      threshold={overview.thresholds.p95Ms}
    />
  );
}
