import { formatPercent } from "@/lib/format";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { RuleTile } from "./Tile";

/** The share of calls that failed in the last hour, coloured by the error-rate rules. */
export function ErrorRateTile({ overview, judgement, now }: TileCardProps) {
  const trend = hourTrend(overview.series, now, (point) => point.errorRate, 0);
  const idle = overview.calls === 0 ? "No calls in the last hour" : null;
  const value = formatPercent(overview.errorRate);
  return <RuleTile label="Error rate" value={value} rule={judgement} idle={idle} trend={trend} />;
}
