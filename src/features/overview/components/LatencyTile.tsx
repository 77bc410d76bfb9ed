import { formatDuration } from "@/lib/format";
import { ruleText } from "@/lib/ruleVerdict";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** The last hour's p95 latency; a minute without calls has no percentile, so its trend point is empty. */
export function LatencyTile({ overview, judgement, now }: TileCardProps) {
  return (
    <Tile
      label="p95 latency"
      value={formatDuration(overview.p95Ms)}
      state={judgement.verdict}
      thresholdText={overview.p95Ms === null ? "No calls in the last hour" : ruleText(judgement)}
      trend={hourTrend(overview.series, now, (point) => point.p95Ms, null)}
      threshold={judgement.rule?.threshold}
    />
  );
}
