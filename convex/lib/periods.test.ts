import { describe, expect, test } from "vitest";
import {
  isoWeek,
  isValidTimeZone,
  periodKey,
  periodOf,
  previousPeriod,
  recentPeriods,
  startOfLocalDay,
} from "./periods";

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe("period keys", () => {
  test("one instant has a key per cadence, in the team's zone", () => {
    const instant = at("2026-11-22T10:00:00Z");
    expect(periodKey("daily", instant, "UTC")).toBe("2026-11-22");
    expect(periodKey("weekly", instant, "UTC")).toBe("2026-W47");
    expect(periodKey("monthly", instant, "UTC")).toBe("2026-11");
    expect(periodKey("quarterly", instant, "UTC")).toBe("2026-Q4");
  });

  test("the same instant is a different day on either side of the date line", () => {
    const instant = at("2026-11-22T23:30:00Z");
    expect(periodKey("daily", instant, "UTC")).toBe("2026-11-22");
    expect(periodKey("daily", instant, "Pacific/Auckland")).toBe("2026-11-23");
    expect(periodKey("daily", at("2026-11-22T03:00:00Z"), "America/Los_Angeles")).toBe("2026-11-21");
  });

  test("ISO week 1 can start in the previous calendar year, and week 53 can end in the next", () => {
    // 2026-01-01 is a Thursday: week 1 of 2026 starts on Monday 2025-12-29.
    expect(periodKey("weekly", at("2025-12-29T12:00:00Z"), "UTC")).toBe("2026-W01");
    expect(periodKey("weekly", at("2025-12-28T12:00:00Z"), "UTC")).toBe("2025-W52");
    // 2026 has 53 weeks (it starts on a Thursday); 2027-01-03 (a Sunday) still belongs to 2026-W53.
    expect(periodKey("weekly", at("2026-12-31T12:00:00Z"), "UTC")).toBe("2026-W53");
    expect(periodKey("weekly", at("2027-01-03T12:00:00Z"), "UTC")).toBe("2026-W53");
    expect(periodKey("weekly", at("2027-01-04T12:00:00Z"), "UTC")).toBe("2027-W01");
    // 2021-01-01 (a Friday) belongs to 2020-W53.
    expect(isoWeek({ year: 2021, month: 1, day: 1 })).toMatchObject({ year: 2020, week: 53 });
  });

  test("Q4 rolls over to Q1 of the next year, in the zone and not in UTC", () => {
    // 23:30 on 31 December in New York is already 1 January in UTC.
    const newYearsEve = at("2027-01-01T04:30:00Z");
    expect(periodKey("quarterly", newYearsEve, "America/New_York")).toBe("2026-Q4");
    expect(periodKey("quarterly", newYearsEve, "UTC")).toBe("2027-Q1");
    expect(periodKey("monthly", newYearsEve, "America/New_York")).toBe("2026-12");
    const q4 = periodOf("quarterly", newYearsEve, "America/New_York");
    expect(new Date(q4.start).toISOString()).toBe("2026-10-01T04:00:00.000Z");
    expect(new Date(q4.end).toISOString()).toBe("2027-01-01T05:00:00.000Z");
    expect(periodOf("quarterly", q4.end, "America/New_York").key).toBe("2027-Q1");
  });
});

describe("period bounds across daylight-saving changes", () => {
  test("the spring-forward day is 23 hours long and the autumn one 25", () => {
    const spring = periodOf("daily", at("2026-03-29T12:00:00Z"), "Europe/Berlin");
    expect(spring.key).toBe("2026-03-29");
    expect(new Date(spring.start).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(spring.end - spring.start).toBe(23 * HOUR);
    const autumn = periodOf("daily", at("2026-10-25T12:00:00Z"), "Europe/Berlin");
    expect(autumn.end - autumn.start).toBe(25 * HOUR);
    expect(new Date(autumn.end).toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  test("an instant in the repeated hour of a fall-back belongs to that day", () => {
    // 01:30 happens twice in New York on 2026-11-01.
    expect(periodKey("daily", at("2026-11-01T05:30:00Z"), "America/New_York")).toBe("2026-11-01");
    expect(periodKey("daily", at("2026-11-01T06:30:00Z"), "America/New_York")).toBe("2026-11-01");
    const week = periodOf("weekly", at("2026-11-01T06:30:00Z"), "America/New_York");
    expect(week.key).toBe("2026-W44");
    expect(week.end - week.start).toBe(7 * 24 * HOUR + HOUR);
  });

  test("a day whose midnight is skipped starts at the first local time that exists", () => {
    // Santiago springs forward at 00:00 → 01:00 on 2024-09-08.
    const start = startOfLocalDay({ year: 2024, month: 9, day: 8 }, "America/Santiago");
    expect(new Date(start).toISOString()).toBe("2024-09-08T04:00:00.000Z");
    expect(periodKey("daily", start, "America/Santiago")).toBe("2024-09-08");
    expect(periodKey("daily", start - 1, "America/Santiago")).toBe("2024-09-07");
  });

  test("periods tile time: each ends where the next starts", () => {
    for (const zone of ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]) {
      for (const cadence of ["daily", "weekly", "monthly", "quarterly"] as const) {
        const periods = recentPeriods(cadence, at("2027-01-02T00:00:00Z"), zone, 60);
        for (const [index, period] of periods.entries()) {
          expect(periodOf(cadence, period.start, zone).key).toBe(period.key);
          expect(periodOf(cadence, period.end - 1, zone).key).toBe(period.key);
          const older = periods[index + 1];
          if (older) expect(older.end).toBe(period.start);
        }
        expect(new Set(periods.map((period) => period.key)).size).toBe(60);
      }
    }
  });

  test("the previous period of a first day of the year is the last of the year before", () => {
    const instant = at("2027-01-01T10:00:00Z");
    expect(previousPeriod("daily", instant, "UTC").key).toBe("2026-12-31");
    expect(previousPeriod("quarterly", instant, "UTC").key).toBe("2026-Q4");
    expect(previousPeriod("weekly", instant, "UTC").key).toBe("2026-W52");
  });
});

test("time zone names are checked with Intl", () => {
  expect(isValidTimeZone("Europe/Berlin")).toBe(true);
  expect(isValidTimeZone("UTC")).toBe(true);
  expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  expect(isValidTimeZone("")).toBe(false);
});
