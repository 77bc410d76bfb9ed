import { formatSeconds } from "@/lib/format";
import { hourTrend, type Overview } from "../Overview.utils";
import { Tile } from "./Tile";

/** How far scheduled functions run behind, from the scheduler stats the deployment streams. */
export function SchedulerLagTile({ overview, now }: { overview: Overview; now: number }) {
  const lag = overview.schedulerLagSeconds;
  return (
    <Tile
      label="Scheduler lag"
      value={lag === null ? "No data" : formatSeconds(lag)}
      state="none"
      thresholdText={lag === null ? "No scheduler stats received" : "No alert threshold"}
      trend={hourTrend(overview.schedulerLagSeries, now, (point) => point.value, null)}
    />
  );
}
