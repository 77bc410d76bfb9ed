import { formatPercent } from "@/lib/format";
import { ruleText } from "@/lib/ruleVerdict";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** The share of mutations that hit an optimistic-concurrency conflict in the last hour. */
export function OccShareTile({ overview, judgement, now }: TileCardProps) {
  return (
    <Tile
      label="OCC share of mutations"
      value={formatPercent(overview.occShare)}
      state={judgement.verdict}
      thresholdText={overview.mutations === 0 ? "No mutations in the last hour" : ruleText(judgement)}
      trend={hourTrend(overview.series, now, (point) => point.occShare, 0)}
      threshold={judgement.rule?.threshold}
    />
  );
}
