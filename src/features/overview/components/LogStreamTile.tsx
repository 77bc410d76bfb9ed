import { useNow } from "@/lib/clock";
import { formatRelative } from "@/lib/time";
import { hourTrend, STALE_WINDOW_TEXT, type TileCardProps } from "../Overview.utils";
import { Tile } from "./Tile";

/** Whether the deployment's log stream is arriving, read on the display clock so it goes stale live. */
export function LogStreamTile({ overview, state, now }: TileCardProps) {
  const clock = useNow();
  return (
    <Tile
      label="Log stream"
      value={
        overview.lastEventAt === null
          ? "No events"
          : `Last event ${formatRelative(overview.lastEventAt, clock)}`
      }
      state={state}
      thresholdText={
        <>
          {state === "alert"
            ? `Stale: nothing for over ${STALE_WINDOW_TEXT}`
            : state === "ok"
              ? `Receiving (stale after ${STALE_WINDOW_TEXT})`
              : "Nothing received yet"}
          {overview.lastVerificationAt !== null && (
            <> · verified {formatRelative(overview.lastVerificationAt, clock)}</>
          )}
        </>
      }
      trend={hourTrend(overview.series, now, (point) => point.calls, 0)}
    />
  );
}
