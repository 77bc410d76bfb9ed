import { describe, expect, test } from "vitest";
import { DAY_MS, forecastFlow, forecastStorage } from "./forecast";

const monthStart = Date.UTC(2026, 10, 1);
const monthEnd = Date.UTC(2026, 11, 1);

function days(count: number, value: (index: number) => number) {
  return Array.from({ length: count }, (_, index) => ({
    at: monthStart + index * DAY_MS,
    value: value(index),
  }));
}

describe("flow forecast (run rate)", () => {
  test("a steady 30,000 calls a day against 1M reaches 80 % on day 27 and projects 900,000", () => {
    const now = monthStart + 10 * DAY_MS;
    const forecast = forecastFlow({
      now,
      monthStart,
      monthEnd,
      firstDataAt: monthStart,
      days: days(10, () => 30_000),
      included: 1_000_000,
    });
    expect(forecast.projectedMonthEnd).toBeCloseTo(900_000);
    // 800,000 / 30,000 per day = 26.67 days after the 1st.
    expect(forecast.at80?.at).toBeCloseTo(monthStart + (800_000 / 30_000) * DAY_MS, -3);
    expect(forecast.at80?.alreadyReached).toBe(false);
    expect(forecast.at100).toBeNull();
    expect(forecast.lowConfidence).toBe(false);
  });

  test("a flow already past 80 % reports the day it got there", () => {
    const forecast = forecastFlow({
      now: monthStart + 10 * DAY_MS,
      monthStart,
      monthEnd,
      firstDataAt: monthStart,
      days: days(10, () => 90_000),
      included: 1_000_000,
    });
    // 9 days × 90,000 = 810,000 passed 800,000 on the ninth day (index 8).
    expect(forecast.at80).toEqual({ at: monthStart + 8 * DAY_MS, alreadyReached: true });
    expect(forecast.at100?.alreadyReached).toBe(false);
    expect(forecast.at100?.at).toBeCloseTo(monthStart + (10 + 100_000 / 90_000) * DAY_MS, -3);
  });

  test("nothing used never crosses", () => {
    const forecast = forecastFlow({
      now: monthStart + 5 * DAY_MS,
      monthStart,
      monthEnd,
      firstDataAt: monthStart,
      days: days(5, () => 0),
      included: 1,
    });
    expect([forecast.at80, forecast.at100, forecast.projectedMonthEnd]).toEqual([null, null, 0]);
  });

  test("history that started mid-month runs at the rate since it started, flagged when short", () => {
    const firstDataAt = monthStart + 20 * DAY_MS;
    const forecast = forecastFlow({
      now: firstDataAt + DAY_MS,
      monthStart,
      monthEnd,
      firstDataAt,
      days: [{ at: firstDataAt, value: 10 }],
      included: 1000,
    });
    expect(forecast.projectedMonthEnd).toBeCloseTo(100);
    expect(forecast).toMatchObject({ daysOfData: 1, lowConfidence: true });
  });
});

describe("storage forecast (slope)", () => {
  test("linear growth of 1 GB a day against 10 GB reaches 80 % on the 8th GB's day", () => {
    const forecast = forecastStorage({ monthEnd, points: days(5, (index) => index + 1), included: 10 })!;
    // 5 GB on day index 4; 8 GB three days later.
    expect(forecast.at80?.at).toBeCloseTo(monthStart + 7 * DAY_MS, -3);
    expect(forecast.at100?.at).toBeCloseTo(monthStart + 9 * DAY_MS, -3);
    expect(forecast.projectedMonthEnd).toBeCloseTo(5 + 26);
    expect(forecast).toMatchObject({ daysOfData: 5, lowConfidence: true });
  });

  test("a flat level never reaches 80 %, however long the history", () => {
    const forecast = forecastStorage({ monthEnd, points: days(14, () => 5), included: 10 })!;
    expect([forecast.at80, forecast.at100]).toEqual([null, null]);
    expect(forecast.projectedMonthEnd).toBe(5);
    expect(forecast.lowConfidence).toBe(false);
  });

  test("only the last 14 days shape the slope", () => {
    const old = days(10, (index) => index * 10);
    const recent = Array.from({ length: 14 }, (_, index) => ({
      at: monthStart + (10 + index) * DAY_MS,
      value: 100,
    }));
    const forecast = forecastStorage({ monthEnd, points: [...old, ...recent], included: 1000 })!;
    expect(forecast.at80).toBeNull();
  });

  test("no storage report means no forecast", () => {
    expect(forecastStorage({ monthEnd, points: [], included: 1 })).toBeNull();
  });
});
