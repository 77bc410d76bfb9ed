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
 * The first instant of a local calendar date: its midnight, or when a daylight-saving change
 * skips midnight (e.g. America/Santiago in September), the first local time that exists that day.
 */
export function startOfLocalDay(date: CalendarDate, timeZone: string): number {
  const wallClock = dateUtc(date);
  const guess = wallClock - offsetAt(wallClock - offsetAt(wallClock, timeZone), timeZone);
  const dayOf = (instant: number) => dateUtc(localParts(instant, timeZone));
  if (dayOf(guess) === wallClock && dayOf(guess - 1) < wallClock) return guess;
  // The local date never decreases as time passes, so search for the first instant on the date.
  // Offsets lie within -12 h … +14 h: 16 h before the wall clock is surely the day before.
  let before = wallClock - 16 * 3_600_000;
  let onOrAfter = wallClock + 14 * 3_600_000;
  while (onOrAfter - before > 1) {
    const middle = Math.floor((before + onOrAfter) / 2);
    if (dayOf(middle) >= wallClock) onOrAfter = middle;
    else before = middle;
  }
  return onOrAfter;
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
