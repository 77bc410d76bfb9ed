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

/** "3 minutes ago", "in 6 days"; `now` is a parameter so callers and tests control the clock. */
export function formatRelative(ms: number, now: number = Date.now()): string {
  const delta = ms - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size || unit === "second") {
      return relativeFormat.format(Math.round(delta / size), unit);
    }
  }
  return relativeFormat.format(0, "second");
}

/**
 * How long ago something happened, e.g. "20 seconds ago". A moment the clocks put after `now`
 * (the sender's clock runs ahead) reads "just now", never "in 40 seconds".
 */
export function formatSince(ms: number, now: number): string {
  return ms > now - 1000 ? "just now" : formatRelative(ms, now);
}

/** ISO 8601 in UTC, for exports that other tools read. */
export function formatIso(ms: number): string {
  return new Date(ms).toISOString();
}
