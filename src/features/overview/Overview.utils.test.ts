import { describe, expect, it } from "vitest";
import { checklistShortTitle, hourTrend, slowestFunctions } from "./Overview.utils";

const MINUTE = 60_000;

describe("overview trends and lists", () => {
  it("gives one value per minute of the last hour, empty minutes as asked", () => {
    const now = 10 * 60 * MINUTE;
    const trend = hourTrend([{ bucket: now - 2 * MINUTE, value: 7 }], now, (point) => point.value, 0);
    expect(trend).toHaveLength(60);
    expect(trend[0]).toEqual({ bucket: now - 60 * MINUTE, value: 0 });
    expect(trend.at(-2)).toEqual({ bucket: now - 2 * MINUTE, value: 7 });
    expect(hourTrend([], now, () => 1, null).every((point) => point.value === null)).toBe(true);
  });

  it("ranks functions by p95 with unmeasured ones last, and shortens checklist titles", () => {
    const ranked = slowestFunctions([{ p95Ms: null }, { p95Ms: 5 }, { p95Ms: 90 }, { p95Ms: 20 }], 3);
    expect(ranked.map((row) => row.p95Ms)).toEqual([90, 20, 5]);
    expect(checklistShortTitle("Weekly maintenance")).toBe("Weekly");
  });
});
