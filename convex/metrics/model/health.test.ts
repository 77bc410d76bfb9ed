import { describe, expect, test } from "vitest";
import { healthStates, signalState, STALE_STREAM_MS, streamState, type HourHealth } from "./health";

/** The seeded rules' thresholds: error rate 1 %, p95 500 ms, OCC 5 %. */
const DEFAULT_ALERT_THRESHOLDS = { errorRate: 0.01, p95Ms: 500, occShare: 0.05 };

const quiet: HourHealth = { calls: 0, mutations: 0, errorRate: 0, p95Ms: null, occShare: 0 };

describe("the one health rule", () => {
  test("a value over the threshold alerts; exactly at it is still within", () => {
    expect(signalState(0.011, 0.01)).toBe("alert");
    expect(signalState(0.01, 0.01)).toBe("ok");
    expect(signalState(null, 0.01)).toBe("none");
  });

  test("uses the seeds' defaults: 1 % errors, 500 ms p95, 5 % OCC", () => {
    const busy: HourHealth = { calls: 1000, mutations: 100, errorRate: 0.02, p95Ms: 499, occShare: 0.06 };
    expect(healthStates(busy, DEFAULT_ALERT_THRESHOLDS)).toEqual({
      errorRate: "alert",
      p95: "ok",
      occShare: "alert",
    });
  });

  test("rates over no calls or no mutations have no state", () => {
    expect(healthStates(quiet, DEFAULT_ALERT_THRESHOLDS)).toEqual({
      errorRate: "none",
      p95: "none",
      occShare: "none",
    });
    expect(healthStates({ ...quiet, calls: 5, p95Ms: 20 }, DEFAULT_ALERT_THRESHOLDS).occShare).toBe("none");
  });

  test("a stream is stale only after the whole window passed without an event", () => {
    const now = 10 * STALE_STREAM_MS;
    expect(streamState(null, now)).toBe("none");
    expect(streamState(now - STALE_STREAM_MS, now)).toBe("ok");
    expect(streamState(now - STALE_STREAM_MS - 1, now)).toBe("alert");
  });
});
