import { describe, expect, it } from "vitest";
import { NOW, OVERVIEW } from "@/test/metricsFixtures";
import { checklistShortTitle, hourTrend, slowestFunctions, tileStates } from "./Overview.utils";

const MINUTE = 60_000;

describe("overview tile states", () => {
  it("judges each tile by the thresholds the backend sent", () => {
    const overview = { ...OVERVIEW, lastEventAt: NOW - 20_000 };
    expect(tileStates(overview, NOW)).toEqual({
      errorRate: "alert",
      p95: "ok",
      occShare: "ok",
      logStream: "ok",
    });
    const relaxed = { ...overview, thresholds: { errorRate: 0.05, p95Ms: 100, occShare: 0.005 } };
    expect(tileStates(relaxed, NOW)).toMatchObject({ errorRate: "ok", p95: "alert", occShare: "alert" });
  });

  it("has no state for rates over nothing, and a stale stream after the window", () => {
    const quiet = { ...OVERVIEW, calls: 0, mutations: 0, p95Ms: null, lastEventAt: NOW - 6 * MINUTE };
    expect(tileStates(quiet, NOW)).toEqual({
      errorRate: "none",
      p95: "none",
      occShare: "none",
      logStream: "alert",
    });
    expect(tileStates({ ...quiet, lastEventAt: null }, NOW).logStream).toBe("none");
  });
});

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
