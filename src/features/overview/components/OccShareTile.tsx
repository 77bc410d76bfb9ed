import { formatPercent } from "@/lib/format";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** The share of mutations that hit an optimistic-concurrency conflict in the last hour. */
export function OccShareTile({ overview, state, now }: TileCardProps) {
  return (
    <Tile
      label="OCC share of mutations"
      value={formatPercent(overview.occShare)}
      state={state}
      thresholdText={
        state === "none"
          ? "No mutations in the last hour"
          : `threshold ${formatPercent(overview.thresholds.occShare)}`
      }
      trend={hourTrend(overview.series, now, (point) => point.occShare, 0)}
      threshold={overview.thresholds.occShare}
    />
  );
}
