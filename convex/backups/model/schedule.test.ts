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

describe("backup slots on the wall clock across daylight-saving changes", () => {
  const at = (time: string) => ({ cadence: "daily" as const, time, includeStorage: false });
  const sunday = (time: string) => ({
    cadence: "weekly" as const,
    time,
    weekday: 7,
    includeStorage: false,
  });
  const minutes = (count: number) => count * 60_000;

  test("Europe/Berlin: 05:00 stays 05:00 on the days the clocks go forward and back", () => {
    // 29 Mar 2026 (Sunday): 02:00 CET becomes 03:00 CEST, so 05:00 is 03:00 UTC.
    const spring = Date.UTC(2026, 2, 29, 3, 0);
    expect(nextSlotAt(at("05:00"), Date.UTC(2026, 2, 28, 12), "Europe/Berlin")).toBe(spring);
    expect(dueSlot(at("05:00"), spring + minutes(1), "Europe/Berlin", null)).toBe("2026-03-29T05:00");
    expect(dueSlot(at("05:00"), spring - minutes(1), "Europe/Berlin", null)).toBeNull();
    // 25 Oct 2026 (Sunday): 03:00 CEST becomes 02:00 CET, so 05:00 is 04:00 UTC.
    const autumn = Date.UTC(2026, 9, 25, 4, 0);
    expect(nextSlotAt(sunday("05:00"), Date.UTC(2026, 9, 24, 12), "Europe/Berlin")).toBe(autumn);
    expect(dueSlot(sunday("05:00"), autumn + minutes(1), "Europe/Berlin", null)).toBe("2026-10-25T05:00");
    expect(dueSlot(sunday("05:00"), autumn - minutes(1), "Europe/Berlin", null)).toBeNull();
  });

  test("America/New_York: 05:00 stays 05:00 on 8 March and 1 November 2026", () => {
    const spring = Date.UTC(2026, 2, 8, 9, 0); // EDT, UTC-4
    expect(nextSlotAt(sunday("05:00"), Date.UTC(2026, 2, 7, 12), "America/New_York")).toBe(spring);
    expect(dueSlot(at("05:00"), spring + minutes(1), "America/New_York", null)).toBe("2026-03-08T05:00");
    const autumn = Date.UTC(2026, 10, 1, 10, 0); // EST, UTC-5
    expect(nextSlotAt(at("05:00"), Date.UTC(2026, 9, 31, 12), "America/New_York")).toBe(autumn);
    expect(dueSlot(sunday("05:00"), autumn - minutes(1), "America/New_York", null)).toBeNull();
    expect(dueSlot(sunday("05:00"), autumn + minutes(1), "America/New_York", null)).toBe("2026-11-01T05:00");
  });

  test("a time the clocks skip runs at the next minute that exists", () => {
    // 02:30 does not exist on these days: the slot runs when the clock jumps to 03:00.
    expect(nextSlotAt(at("02:30"), Date.UTC(2026, 2, 28, 12), "Europe/Berlin")).toBe(
      Date.UTC(2026, 2, 29, 1, 0),
    );
    expect(dueSlot(sunday("02:30"), Date.UTC(2026, 2, 29, 1, 0), "Europe/Berlin", null)).toBe(
      "2026-03-29T02:30",
    );
    expect(nextSlotAt(sunday("02:30"), Date.UTC(2026, 2, 7, 12), "America/New_York")).toBe(
      Date.UTC(2026, 2, 8, 7, 0),
    );
    expect(dueSlot(at("02:30"), Date.UTC(2026, 2, 8, 6, 59), "America/New_York", null)).toBeNull();
  });

  test("a time the clocks repeat runs once, at its first occurrence", () => {
    // 02:30 happens twice in Berlin on 25 Oct 2026: 00:30 UTC (CEST) and 01:30 UTC (CET).
    const first = Date.UTC(2026, 9, 25, 0, 30);
    expect(nextSlotAt(at("02:30"), Date.UTC(2026, 9, 24, 12), "Europe/Berlin")).toBe(first);
    expect(dueSlot(at("02:30"), first + minutes(5), "Europe/Berlin", null)).toBe("2026-10-25T02:30");
    const second = Date.UTC(2026, 9, 25, 1, 30);
    expect(dueSlot(at("02:30"), second + minutes(5), "Europe/Berlin", "2026-10-25T02:30")).toBeNull();
    expect(dueSlot(at("02:30"), second + minutes(5), "Europe/Berlin", null)).toBeNull();
    // 01:30 happens twice in New York on 1 Nov 2026: 05:30 UTC (EDT) and 06:30 UTC (EST).
    const nyFirst = Date.UTC(2026, 10, 1, 5, 30);
    expect(nextSlotAt(sunday("01:30"), Date.UTC(2026, 9, 31, 12), "America/New_York")).toBe(nyFirst);
    expect(
      dueSlot(sunday("01:30"), nyFirst + minutes(70), "America/New_York", "2026-11-01T01:30"),
    ).toBeNull();
  });
});
