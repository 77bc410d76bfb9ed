import { formatPercent } from "@/lib/format";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** The share of calls that failed in the last hour, against the team's threshold. */
export function ErrorRateTile({ overview, state, now }: TileCardProps) {
  return (
    <Tile
      label="Error rate"
      value={formatPercent(overview.errorRate)}
      state={state}
      thresholdText={
        state === "none"
          ? "No calls in the last hour"
          : `threshold ${formatPercent(overview.thresholds.errorRate)}`
      }
      trend={hourTrend(overview.series, now, (point) => point.errorRate, 0)}
      threshold={overview.thresholds.errorRate}
    />
  );
}
