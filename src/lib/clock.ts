import { useCallback, useSyncExternalStore } from "react";

/**
 * The console's one clock. Every component reads the same instant, so two places that show the same
 * moment relative to now always agree. It ticks at the shortest interval any reader asked for and
 * also exactly at each minute, so the minute-aligned query times below change on the minute and
 * queries resubscribe once a minute rather than on every render.
 */
const DEFAULT_INTERVAL_MS = 15_000;
const MINUTE_MS = 60_000;

const listeners = new Map<() => void, number>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | undefined;

/** The start of the minute holding `ms`. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The start of the next minute: a query's `to` that includes the current minute and stays stable for it. */
export function nextMinute(ms: number): number {
  return minuteOf(ms) + MINUTE_MS;
}

function schedule() {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (listeners.size === 0) return;
  const interval = Math.min(...listeners.values());
  const untilMinute = nextMinute(Date.now()) - Date.now();
  timer = setTimeout(tick, Math.max(1, Math.min(interval, untilMinute)));
}

function tick() {
  now = Date.now();
  for (const listener of listeners.keys()) listener();
  schedule();
}

function snapshot(): number {
  // Nobody was watching: catch up before the first render instead of showing a stale instant.
  if (listeners.size === 0 && Date.now() - now >= 1000) now = Date.now();
  return now;
}

function useClock(intervalMs: number, select: (instant: number) => number): number {
  const subscribe = useCallback(
    (listener: () => void) => {
      // The first watcher after a quiet spell starts from the true time, not the last tick's.
      if (listeners.size === 0) now = Date.now();
      listeners.set(listener, intervalMs);
      schedule();
      return () => {
        listeners.delete(listener);
        schedule();
      };
    },
    [intervalMs],
  );
  return useSyncExternalStore(subscribe, () => select(snapshot()));
}

const identity = (instant: number) => instant;

/** The current time for display ("3 minutes ago"), at most `intervalMs` old. */
export function useNow(intervalMs = DEFAULT_INTERVAL_MS): number {
  return useClock(intervalMs, identity);
}

/** The start of the current minute, from the same clock: a query's `now` that changes once a minute. */
export function useMinute(): number {
  return useClock(DEFAULT_INTERVAL_MS, minuteOf);
}

/** The start of the next minute, from the same clock: a range end that includes the current minute. */
export function useRangeEnd(): number {
  return useClock(DEFAULT_INTERVAL_MS, nextMinute);
}
