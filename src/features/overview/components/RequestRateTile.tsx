import { formatDecimal } from "@/lib/format";
import { hourTrend, type Overview } from "../Overview.utils";
import { Tile } from "./Tile";

/** Calls per minute over the last few minutes, against the hour's average; no alert threshold. */
export function RequestRateTile({ overview, now }: { overview: Overview; now: number }) {
  const { recentRate } = overview;
  return (
    <Tile
      label="Request rate"
      value={
        <>
          {formatDecimal(recentRate.perMinute)} / min{" "}
          <span className="tile-value-note">
            last {Math.round((recentRate.to - recentRate.from) / 60_000)} minutes
          </span>
        </>
      }
      state="none"
      thresholdText={`${formatDecimal(overview.requestsPerMinute)} / min hourly average · no alert threshold`}
      trend={hourTrend(overview.series, now, (point) => point.calls, 0)}
    />
  );
}
