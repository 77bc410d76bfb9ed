import { formatSeconds } from "@/lib/format";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { RuleTile } from "./Tile";

/** How far scheduled functions run behind, from the scheduler stats the deployment streams. */
export function SchedulerLagTile({ overview, judgement, now }: TileCardProps) {
  const lag = overview.schedulerLagSeconds;
  const trend = hourTrend(overview.schedulerLagSeries, now, (point) => point.value, null);
  const idle = lag === null ? "No scheduler stats received" : null;
  const value = lag === null ? "No data" : formatSeconds(lag);
  return <RuleTile label="Scheduler lag" value={value} rule={judgement} idle={idle} trend={trend} />;
}
