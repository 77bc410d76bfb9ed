import { formatPercent } from "@/lib/format";
import { ruleText } from "@/lib/ruleVerdict";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** The share of calls that failed in the last hour, coloured by the error-rate rules. */
export function ErrorRateTile({ overview, judgement, now }: TileCardProps) {
  return (
    <Tile
      label="Error rate"
      value={formatPercent(overview.errorRate)}
      state={judgement.verdict}
      thresholdText={overview.calls === 0 ? "No calls in the last hour" : ruleText(judgement)}
      trend={hourTrend(overview.series, now, (point) => point.errorRate, 0)}
      threshold={judgement.rule?.threshold}
    />
  );
}
