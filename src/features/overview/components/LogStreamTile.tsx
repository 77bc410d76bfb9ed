import { useNow } from "@/lib/clock";
import { formatRelative } from "@/lib/time";
import { ruleText } from "@/lib/ruleVerdict";
import { hourTrend, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** Whether the deployment's log stream is arriving; the log-stream-silent rule decides when it is stale. */
export function LogStreamTile({ overview, judgement, now }: TileCardProps) {
  const clock = useNow();
  return (
    <Tile
      label="Log stream"
      value={
        overview.lastEventAt === null
          ? "No events"
          : `Last event ${formatRelative(overview.lastEventAt, clock)}`
      }
      state={judgement.verdict}
      thresholdText={
        <>
          {overview.lastEventAt === null ? "Nothing received yet" : ruleText(judgement)}
          {overview.lastVerificationAt !== null && (
            <> · verified {formatRelative(overview.lastVerificationAt, clock)}</>
          )}
        </>
      }
      trend={hourTrend(overview.series, now, (point) => point.calls, 0)}
    />
  );
}
