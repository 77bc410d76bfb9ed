import { addDays, dateKey, instantOfWallClock, isoWeek, localDate } from "../../lib/periods";

/**
 * When a scheduled backup is due: daily or weekly at a wall-clock time in the team's time zone. A
 * cron asks every few minutes; a slot is due from its time for `DUE_WINDOW_MS`, once (the caller
 * remembers the last slot it started), so a console that was down for a day does not run a backlog,
 * and changing the time to one already past today waits for tomorrow.
 */

export type BackupSchedule =
  | { cadence: "off" }
  | { cadence: "daily"; time: string; includeStorage: boolean }
  | { cadence: "weekly"; time: string; weekday: number; includeStorage: boolean };

export const DUE_WINDOW_MS = 60 * 60 * 1000;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

export function scheduleProblems(schedule: BackupSchedule): string[] {
  if (schedule.cadence === "off") return [];
  const problems: string[] = [];
  if (!TIME_PATTERN.test(schedule.time))
    problems.push("The time must be HH:MM on a 24-hour clock, e.g. 02:30.");
  if (
    schedule.cadence === "weekly" &&
    !(Number.isInteger(schedule.weekday) && schedule.weekday >= 1 && schedule.weekday <= 7)
  ) {
    problems.push("The weekday must be 1 (Monday) to 7 (Sunday).");
  }
  return problems;
}

/**
 * The slot's instant on a local date: when the clock reads its time there (a skipped time runs at
 * the jump, a repeated one at its first occurrence, so it runs once).
 */
function slotInstant(
  date: { year: number; month: number; day: number },
  time: string,
  timeZone: string,
): number {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  return instantOfWallClock(date, hours * 60 + minutes, timeZone);
}

/** The key of the slot due at `now` (e.g. `2026-11-24T02:00`), or null when none is due. */
export function dueSlot(
  schedule: BackupSchedule,
  now: number,
  timeZone: string,
  lastSlot: string | null,
): string | null {
  if (schedule.cadence === "off") return null;
  const today = localDate(now, timeZone);
  // A slot late in yesterday's evening may still be inside its window after local midnight.
  for (const date of [today, addDays(today, -1)]) {
    if (schedule.cadence === "weekly") {
      const weekday = isoWeekday(date);
      if (weekday !== schedule.weekday) continue;
    }
    const at = slotInstant(date, schedule.time, timeZone);
    if (now >= at && now < at + DUE_WINDOW_MS) {
      const key = `${dateKey(date)}T${schedule.time}`;
      return key === lastSlot ? null : key;
    }
  }
  return null;
}

/** The next slot's instant after `now`, for "next backup at …" on the page. */
export function nextSlotAt(schedule: BackupSchedule, now: number, timeZone: string): number | null {
  if (schedule.cadence === "off") return null;
  const today = localDate(now, timeZone);
  for (let days = 0; days <= 8; days++) {
    const date = addDays(today, days);
    if (schedule.cadence === "weekly" && isoWeekday(date) !== schedule.weekday) continue;
    const at = slotInstant(date, schedule.time, timeZone);
    if (at > now) return at;
  }
  return null;
}

function isoWeekday(date: { year: number; month: number; day: number }): number {
  const { monday } = isoWeek(date);
  return (
    Math.round(
      (Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(monday.year, monday.month - 1, monday.day)) /
        86_400_000,
    ) + 1
  );
}
