import { describe, expect, test } from "vitest";
import { acceptsTicks, appendBounded, runProgress } from "./progress";

const END = Date.parse("2026-11-23T00:00:00Z");

describe("run progress", () => {
  test("a recurring run becomes overdue when its period ends with unticked items", () => {
    const run = { itemCount: 4, ticked: 3, periodEnd: END };
    expect(runProgress(run, END - 1)).toEqual({
      ticked: 3,
      total: 4,
      percent: 75,
      state: "open",
      overdue: false,
    });
    expect(runProgress(run, END)).toMatchObject({ state: "overdue", overdue: true });
    expect(runProgress({ ...run, ticked: 4 }, END + 1)).toMatchObject({ state: "complete", percent: 100 });
  });

  test("an on-demand run is never overdue; closing it early leaves it incomplete", () => {
    const run = { itemCount: 12, ticked: 1, periodEnd: null };
    expect(runProgress(run, END * 2).state).toBe("open");
    expect(runProgress({ ...run, closedAt: END }, END).state).toBe("closed_incomplete");
    expect(runProgress({ itemCount: 3, ticked: 2, periodEnd: null }, 0).percent).toBe(66);
  });

  test("ticks are accepted during the period or until closing", () => {
    expect(acceptsTicks({ periodEnd: END }, END - 1)).toBe(true);
    expect(acceptsTicks({ periodEnd: END }, END)).toBe(false);
    expect(acceptsTicks({ periodEnd: null }, END)).toBe(true);
    expect(acceptsTicks({ periodEnd: null, closedAt: 1 }, END)).toBe(false);
  });

  test("tick history stays bounded and keeps the first tick", () => {
    let history = [0];
    for (let event = 1; event < 10; event++) history = appendBounded(history, event, 4);
    expect(history).toEqual([0, 7, 8, 9]);
  });
});
