import { describeSlowThresholds, formatCount } from "@/lib/format";
import { ruleText } from "@/lib/ruleVerdict";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** How many calls in the last hour were slow (Settings says what slow is), coloured by the slow-calls rule. */
export function SlowCallsTile({ overview, judgement, now }: TileCardProps) {
  return (
    <Tile
      label="Slow calls"
      value={formatCount(overview.slowCallsLastHour)}
      state={judgement.verdict}
      thresholdText={`Calls ${describeSlowThresholds(overview.slowThresholds)}; ${ruleText(judgement)} in 5 min`}
      trend={hourTrend(overview.series, now, (point) => point.slowCalls, 0)}
    />
  );
}
