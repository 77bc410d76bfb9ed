const absoluteFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 60 * 60 * 1000],
  ["month", 30 * 24 * 60 * 60 * 1000],
  ["week", 7 * 24 * 60 * 60 * 1000],
  ["day", 24 * 60 * 60 * 1000],
  ["hour", 60 * 60 * 1000],
  ["minute", 60 * 1000],
  ["second", 1000],
];

/** Local date and time, e.g. "Mar 04, 2026, 14:05:09". */
export function formatAbsolute(ms: number): string {
  return absoluteFormat.format(ms);
}

/**
 * How far the browser's clock and the backend's may disagree. A moment that should already have
 * happened (a tick, a backup, an event) but reads up to this far ahead of the browser's now is the
 * clocks differing, not the future.
 */
const CLOCK_SKEW_MS = 2 * 60_000;

/**
 * The console's one relative-time wording: "3 minutes ago", "just now", "in 6 days". `now` is a
 * parameter so callers and tests control the clock. A moment that has happened (`"past"`, the
 * default) reads "just now" from a second before `now` to CLOCK_SKEW_MS after it, never
 * "in 7 seconds". A deadline (`"deadline"`: an expiry, a lock, the next scheduled run) counts down
 * ("in 5 minutes") and, once due, reads "any moment now" until it is CLOCK_SKEW_MS past: the
 * backend acts on its own clock, so a deadline the browser sees pass has not necessarily passed.
 */
export function formatRelative(ms: number, now: number, kind: "past" | "deadline" = "past"): string {
  const delta = ms - now;
  if (kind === "past" && delta > -1000 && delta <= CLOCK_SKEW_MS) return "just now";
  if (kind === "deadline" && delta >= -CLOCK_SKEW_MS && delta < 1000) return "any moment now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size || unit === "second") {
      return relativeFormat.format(Math.round(delta / size), unit);
    }
  }
  return relativeFormat.format(0, "second");
}

/** ISO 8601 in UTC, for exports that other tools read. */
export function formatIso(ms: number): string {
  return new Date(ms).toISOString();
}
