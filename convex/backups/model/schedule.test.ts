import { describe, expect, test } from "vitest";
import { dueSlot, nextSlotAt, scheduleProblems } from "./schedule";

const daily = { cadence: "daily" as const, time: "02:30", includeStorage: false };

describe("backup schedule", () => {
  test("a daily slot is due from its local time, once", () => {
    // 02:30 in Berlin on 24 Nov 2026 is 01:30 UTC.
    const at = Date.UTC(2026, 10, 24, 1, 30);
    expect(dueSlot(daily, at - 60_000, "Europe/Berlin", null)).toBeNull();
    expect(dueSlot(daily, at + 5 * 60_000, "Europe/Berlin", null)).toBe("2026-11-24T02:30");
    expect(dueSlot(daily, at + 10 * 60_000, "Europe/Berlin", "2026-11-24T02:30")).toBeNull();
  });

  test("a slot long past is not run as a backlog", () => {
    const at = Date.UTC(2026, 10, 24, 1, 30);
    expect(dueSlot(daily, at + 3 * 3_600_000, "Europe/Berlin", null)).toBeNull();
  });

  test("a slot just before midnight is still due after it", () => {
    const late = { ...daily, time: "23:50" };
    expect(dueSlot(late, Date.UTC(2026, 10, 25, 0, 10), "UTC", null)).toBe("2026-11-24T23:50");
  });

  test("a weekly slot is due only on its weekday", () => {
    const weekly = { cadence: "weekly" as const, time: "03:00", weekday: 2, includeStorage: true };
    // 24 Nov 2026 is a Tuesday.
    expect(dueSlot(weekly, Date.UTC(2026, 10, 24, 3, 5), "UTC", null)).toBe("2026-11-24T03:00");
    expect(dueSlot(weekly, Date.UTC(2026, 10, 25, 3, 5), "UTC", null)).toBeNull();
    expect(nextSlotAt(weekly, Date.UTC(2026, 10, 24, 4, 0), "UTC")).toBe(Date.UTC(2026, 11, 1, 3, 0));
  });

  test("says what is wrong with a schedule", () => {
    expect(scheduleProblems({ ...daily, time: "25:00" })).toEqual([
      "The time must be HH:MM on a 24-hour clock, e.g. 02:30.",
    ]);
    expect(
      scheduleProblems({ cadence: "weekly", time: "01:00", weekday: 8, includeStorage: false }),
    ).toHaveLength(1);
    expect(scheduleProblems({ cadence: "off" })).toEqual([]);
  });
});
