import { useCallback, useSyncExternalStore } from "react";

/**
 * The console's one clock for "how long ago" texts. Every component reads the same instant, so two
 * places that show the same moment relative to now always agree, and the clock ticks at the
 * shortest interval any of them asked for.
 */
const DEFAULT_INTERVAL_MS = 15_000;

const listeners = new Map<() => void, number>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
let timerMs = 0;

function tick() {
  now = Date.now();
  for (const listener of listeners.keys()) listener();
}

function reschedule() {
  const wanted = listeners.size === 0 ? 0 : Math.min(...listeners.values());
  if (wanted === timerMs) return;
  if (timer !== undefined) clearInterval(timer);
  timer = wanted > 0 ? setInterval(tick, wanted) : undefined;
  timerMs = wanted;
}

function snapshot(): number {
  // Nobody was watching: catch up before the first render instead of showing a stale instant.
  if (listeners.size === 0 && Date.now() - now >= 1000) now = Date.now();
  return now;
}

/** The current time from the shared clock, at most `intervalMs` old. */
export function useNow(intervalMs = DEFAULT_INTERVAL_MS): number {
  const subscribe = useCallback(
    (listener: () => void) => {
      // The first watcher after a quiet spell starts from the true time, not the last tick's.
      if (listeners.size === 0) now = Date.now();
      listeners.set(listener, intervalMs);
      reschedule();
      return () => {
        listeners.delete(listener);
        reschedule();
      };
    },
    [intervalMs],
  );
  return useSyncExternalStore(subscribe, snapshot);
}
