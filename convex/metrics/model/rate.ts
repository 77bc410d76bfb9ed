/**
 * The Overview's request-rate headline: a rolling rate over the last few full minutes, so it moves
 * smoothly instead of jumping with whatever landed in one minute (and the minute still filling is
 * never counted as quiet).
 */
import { bucketStart, MINUTE_MS } from "./timeBuckets";

export const RECENT_RATE_MINUTES = 5;

export function recentRate(
  minutes: ReadonlyArray<{ bucket: number; calls: number }>,
  now: number,
): { from: number; to: number; calls: number; perMinute: number } {
  // The minute holding the instant just before `now` is still filling: the window ends at its start.
  const to = bucketStart(now - 1, "minute");
  const from = to - RECENT_RATE_MINUTES * MINUTE_MS;
  let calls = 0;
  for (const row of minutes) if (row.bucket >= from && row.bucket < to) calls += row.calls;
  return { from, to, calls, perMinute: calls / RECENT_RATE_MINUTES };
}
