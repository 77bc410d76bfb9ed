import { describeSlowThresholds, formatCount } from "@/lib/format";
import { hourTrend, type Overview } from "../Overview.utils";
import { Tile } from "./Tile";

/** How many calls in the last hour were over the slow thresholds. */
export function SlowCallsTile({ overview, now }: { overview: Overview; now: number }) {
  return (
    <Tile
      label="Slow calls"
      value={formatCount(overview.slowCallsLastHour)}
      state="none"
      thresholdText={`Calls ${describeSlowThresholds(overview.slowThresholds)}`}
      trend={hourTrend(overview.series, now, (point) => point.slowCalls, 0)}
    />
  );
}
