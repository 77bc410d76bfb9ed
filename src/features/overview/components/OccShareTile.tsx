import { formatPercent } from "@/lib/format";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { RuleTile } from "./Tile";

/** The share of mutations that hit an optimistic-concurrency conflict in the last hour. */
export function OccShareTile({ overview, judgement, now }: TileCardProps) {
  const trend = hourTrend(overview.series, now, (point) => point.occShare, 0);
  const idle = overview.mutations === 0 ? "No mutations in the last hour" : null;
  const value = formatPercent(overview.occShare);
  return <RuleTile label="OCC share of mutations" value={value} rule={judgement} idle={idle} trend={trend} />;
}
