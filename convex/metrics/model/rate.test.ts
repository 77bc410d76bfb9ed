import { describe, expect, test } from "vitest";
import { recentRate } from "./rate";

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 22, 12, 0) + 30_000; // half way through the 12:00 minute

describe("recentRate", () => {
  test("is the calls of the last five full minutes over 300 s, leaving out the minute still filling", () => {
    const minutes = [
      { bucket: Date.UTC(2026, 10, 22, 11, 54), calls: 1000 }, // before the window
      { bucket: Date.UTC(2026, 10, 22, 11, 55), calls: 60 },
      { bucket: Date.UTC(2026, 10, 22, 11, 57), calls: 120 },
      { bucket: Date.UTC(2026, 10, 22, 11, 59), calls: 120 },
      { bucket: Date.UTC(2026, 10, 22, 12, 0), calls: 5000 }, // still filling
    ];
    expect(recentRate(minutes, NOW)).toEqual({
      from: Date.UTC(2026, 10, 22, 11, 55),
      to: Date.UTC(2026, 10, 22, 12, 0),
      calls: 300,
      perMinute: 60,
    });
  });

  test("moves smoothly: one busy minute leaving the window changes the rate by a fifth, not to zero", () => {
    const steady = Array.from({ length: 10 }, (_, index) => ({
      bucket: Date.UTC(2026, 10, 22, 11, 50) + index * MINUTE,
      calls: 100,
    }));
    const before = recentRate(steady, NOW);
    const after = recentRate(steady.slice(0, 9), NOW); // the newest full minute had no calls
    expect(before.perMinute).toBe(100);
    expect(after.perMinute).toBe(80);
  });

  test("is zero with no calls", () => {
    expect(recentRate([], NOW).perMinute).toBe(0);
  });
});
