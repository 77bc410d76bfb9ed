import { formatSeconds } from "@/lib/format";
import { ruleText } from "@/lib/ruleVerdict";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** How far scheduled functions run behind, from the scheduler stats the deployment streams. */
export function SchedulerLagTile({ overview, judgement, now }: TileCardProps) {
  const lag = overview.schedulerLagSeconds;
  return (
    <Tile
      label="Scheduler lag"
      value={lag === null ? "No data" : formatSeconds(lag)}
      state={judgement.verdict}
      thresholdText={lag === null ? "No scheduler stats received" : ruleText(judgement)}
      trend={hourTrend(overview.schedulerLagSeries, now, (point) => point.value, null)}
      threshold={judgement.rule?.threshold}
    />
  );
}
