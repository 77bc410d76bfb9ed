/**
 * Checklist periods in a team's IANA time zone: the key of the period an instant falls in
 * (`2026-11-22`, `2026-W47` ISO week, `2026-11`, `2026-Q4`) and the instants a period starts and
 * ends at. Calendar arithmetic runs on plain dates; only the conversion between a local midnight
 * and an instant looks at the zone, so days of 23 or 25 hours and midnights skipped by a
 * daylight-saving change come out right.
 */

export const CADENCES = ["daily", "weekly", "monthly", "quarterly"] as const;
export type Cadence = (typeof CADENCES)[number];

export const DEFAULT_TIME_ZONE = "UTC";

/** A calendar date: month 1–12. */
export type CalendarDate = { year: number; month: number; day: number };

export type Period = { key: string; start: number; end: number };

const DAY_MS = 24 * 60 * 60 * 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a zone name Intl knows, e.g. "Europe/Berlin" or "UTC". */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === "" || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

type LocalParts = CalendarDate & { hour: number; minute: number; second: number };

function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in ms (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  const local = localParts(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The local calendar date an instant falls on in a zone. */
export function localDate(instant: number, timeZone: string): CalendarDate {
  const { year, month, day } = localParts(instant, timeZone);
  return { year, month, day };
}

function dateUtc(date: CalendarDate): number {
  return Date.UTC(date.year, date.month - 1, date.day);
}

function fromUtc(ms: number): CalendarDate {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtc(dateUtc(date) + days * DAY_MS);
}

/**
 * The instant a wall-clock time (minutes after midnight) reads on a local date. When the clocks go
 * back and the time happens twice, the first; when they jump over it, the instant of the jump (the
 * next minute that exists). Elapsed time from midnight is not wall-clock time on a day of 23 or 25
 * hours, so a slot is found from the zone's offsets, never by adding to midnight.
 */
export function instantOfWallClock(date: CalendarDate, minuteOfDay: number, timeZone: string): number {
  const wall = dateUtc(date) + minuteOfDay * 60_000;
  const readsAt = (instant: number) => instant + offsetAt(instant, timeZone);
  // The offsets in force a day either side are every offset that can apply around the time.
  const offsets = [...new Set([-DAY_MS, 0, DAY_MS].map((shift) => offsetAt(wall + shift, timeZone)))];
  const exact = offsets.map((offset) => wall - offset).filter((instant) => readsAt(instant) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped: under the later offset the clock read earlier, under the earlier one later; the jump
  // is the first instant whose clock reads the wall time or after it.
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (readsAt(middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
}

/**
 * The first instant of a local calendar date: its midnight, or when a daylight-saving change
 * skips midnight (e.g. America/Santiago in September), the first local time that exists that day.
 */
export function startOfLocalDay(date: CalendarDate, timeZone: string): number {
  return instantOfWallClock(date, 0, timeZone);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

export function dateKey(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(date: CalendarDate): { year: number; week: number; monday: CalendarDate } {
  const weekday = (new Date(dateUtc(date)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = addDays(date, -weekday);
  const thursday = addDays(monday, 3);
  const firstOfYear = Date.UTC(thursday.year, 0, 1);
  const week = Math.floor((dateUtc(thursday) - firstOfYear) / DAY_MS / 7) + 1;
  return { year: thursday.year, week, monday };
}

/** The key of the period `instant` falls in, in the zone. */
export function periodKey(cadence: Cadence, instant: number, timeZone: string): string {
  return periodOf(cadence, instant, timeZone).key;
}

/** The period `instant` falls in: its key and the instants it starts at (inclusive) and ends at (exclusive). */
export function periodOf(cadence: Cadence, instant: number, timeZone: string): Period {
  const date = localDate(instant, timeZone);
  let first: CalendarDate;
  let next: CalendarDate;
  let key: string;
  switch (cadence) {
    case "daily":
      first = date;
      next = addDays(date, 1);
      key = dateKey(date);
      break;
    case "weekly": {
      const { year, week, monday } = isoWeek(date);
      first = monday;
      next = addDays(monday, 7);
      key = `${pad(year, 4)}-W${pad(week)}`;
      break;
    }
    case "monthly":
      first = { year: date.year, month: date.month, day: 1 };
      next =
        date.month === 12 ? { year: date.year + 1, month: 1, day: 1 } : { ...first, month: date.month + 1 };
      key = `${pad(date.year, 4)}-${pad(date.month)}`;
      break;
    case "quarterly": {
      const quarter = Math.floor((date.month - 1) / 3) + 1;
      first = { year: date.year, month: quarter * 3 - 2, day: 1 };
      next = quarter === 4 ? { year: date.year + 1, month: 1, day: 1 } : { ...first, month: quarter * 3 + 1 };
      key = `${pad(date.year, 4)}-Q${quarter}`;
      break;
    }
  }
  return { key, start: startOfLocalDay(first, timeZone), end: startOfLocalDay(next, timeZone) };
}

/** The period before the one `instant` falls in. */
export function previousPeriod(cadence: Cadence, instant: number, timeZone: string): Period {
  const current = periodOf(cadence, instant, timeZone);
  return periodOf(cadence, current.start - 1, timeZone);
}

/** The `count` most recent periods up to and including the current one, newest first. */
export function recentPeriods(cadence: Cadence, instant: number, timeZone: string, count: number): Period[] {
  const periods: Period[] = [];
  let cursor = instant;
  for (let index = 0; index < count; index++) {
    const period = periodOf(cadence, cursor, timeZone);
    periods.push(period);
    cursor = period.start - 1;
  }
  return periods;
}
