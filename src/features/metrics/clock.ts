import { useEffect, useState } from "react";
import { RANGE_MS, type RangeKey } from "./search";

const MINUTE_MS = 60_000;

/** The start of the next minute: a query's `to` that includes the current minute and stays stable for it. */
export function nextMinute(now: number): number {
  return Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
}

/**
 * Ticks once a minute, at the minute. Queries take their range from it, so their arguments (and
 * with them the reactive subscription) change once a minute rather than on every render.
 */
export function useMinuteClock(): number {
  const [to, setTo] = useState(() => nextMinute(Date.now()));
  useEffect(() => {
    const timer = setTimeout(() => setTo(nextMinute(Date.now())), Math.max(to - Date.now(), 1000));
    return () => clearTimeout(timer);
  }, [to]);
  return to;
}

export type TimeWindow = { from: number; to: number };

export function windowFor(range: RangeKey, to: number): TimeWindow {
  return { from: to - RANGE_MS[range], to };
}
