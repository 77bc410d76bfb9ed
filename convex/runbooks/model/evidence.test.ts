import { describe, expect, test } from "vitest";
import { STALE_STREAM_MS } from "../../metrics/shared";
import { evaluateEvidence } from "./evidence";

/** The seeded rules' thresholds: error rate 1 %, p95 500 ms, OCC 5 %. */
const DEFAULT_ALERT_THRESHOLDS = { errorRate: 0.01, p95Ms: 500, occShare: 0.05 };

const NOW = Date.parse("2026-11-22T10:00:00Z");
const base = {
  deployment: { name: "prod-app", lastEventAt: NOW - 30_000 },
  health: { calls: 200, mutations: 20, errorRate: 0.005, p95Ms: 120, occShare: 0 },
  thresholds: DEFAULT_ALERT_THRESHOLDS,
  backup: { newestVerifiedAt: NOW - 5 * 60_000, targetMs: 3_600_000 },
  usage: { plan: "professional" as const, worst: null, nextCrossing: null, timeZone: "UTC" },
  now: NOW,
};

describe("evidence beside checklist items", () => {
  test("compares the last hour against the alert thresholds", () => {
    const ok = evaluateEvidence(base);
    expect(ok.error_rate).toEqual({
      source: "error_rate",
      state: "ok",
      deployment: "prod-app",
      value: 0.005,
      threshold: 0.01,
    });
    expect(ok.p95_latency).toMatchObject({ state: "ok", value: 120, threshold: 500 });
    expect(ok.log_stream).toMatchObject({ state: "ok", value: NOW - 30_000 });
    const bad = evaluateEvidence({
      ...base,
      deployment: { name: "prod-app", lastEventAt: NOW - STALE_STREAM_MS - 1 },
      health: { ...base.health, errorRate: 0.25, p95Ms: 900 },
    });
    expect([bad.error_rate.state, bad.p95_latency.state, bad.log_stream.state]).toEqual([
      "alert",
      "alert",
      "alert",
    ]);
  });

  test("uses the thresholds it is given, not built-in ones", () => {
    const strict = evaluateEvidence({
      ...base,
      thresholds: { errorRate: 0.001, p95Ms: 100, occShare: 0.01 },
    });
    expect([strict.error_rate.state, strict.p95_latency.state]).toEqual(["alert", "alert"]);
  });

  test("says so when a source has no data", () => {
    const none = evaluateEvidence({
      ...base,
      deployment: null,
      health: { calls: 0, mutations: 0, errorRate: 0, p95Ms: null, occShare: 0 },
      backup: { newestVerifiedAt: null, targetMs: 3_600_000 },
    });
    expect(Object.values(none).map((evidence) => evidence.state)).toEqual([
      "none",
      "none",
      "none",
      "none",
      "none",
    ]);
    const quiet = evaluateEvidence({ ...base, health: { ...base.health, calls: 0, p95Ms: null } });
    expect(quiet.error_rate).toMatchObject({ state: "none", deployment: "prod-app", value: null });
  });
});

describe("backup evidence", () => {
  test("is the newest verified backup against the RPO target", () => {
    const fresh = evaluateEvidence({
      ...base,
      backup: { newestVerifiedAt: NOW - 10 * 60_000, targetMs: 3_600_000 },
    });
    expect(fresh.backup_verification).toEqual({
      source: "backup_verification",
      state: "ok",
      deployment: null,
      value: NOW - 10 * 60_000,
      threshold: 3_600_000,
    });
    const old = evaluateEvidence({
      ...base,
      backup: { newestVerifiedAt: NOW - 2 * 3_600_000, targetMs: 3_600_000 },
    });
    expect(old.backup_verification.state).toBe("alert");
    const none = evaluateEvidence({ ...base, backup: { newestVerifiedAt: null, targetMs: 3_600_000 } });
    expect(none.backup_verification).toMatchObject({ state: "none", value: null });
  });
});

describe("capacity-planning evidence", () => {
  const crossing = { metric: "databaseIo" as const, threshold: 1, at: NOW + 5 * 86_400_000 };

  test("alerts once a metric approaches its included amount, and carries the next forecast crossing", () => {
    const approaching = evaluateEvidence({
      ...base,
      usage: {
        plan: "free",
        worst: { metric: "databaseIo", state: "Approaching", share: 0.85 },
        nextCrossing: crossing,
        timeZone: "UTC",
      },
    });
    expect(approaching.usage_forecast).toMatchObject({
      source: "usage_forecast",
      state: "alert",
      value: crossing.at,
      threshold: 1,
    });
    expect(approaching.usage_forecast.usage.worst).toMatchObject({ metric: "databaseIo", share: 0.85 });
  });

  test("is fine within the plan and has no state before any usage", () => {
    const within = evaluateEvidence({
      ...base,
      usage: {
        plan: "professional",
        worst: { metric: "functionCalls", state: "Default", share: 0.1 },
        nextCrossing: null,
        timeZone: "UTC",
      },
    });
    expect(within.usage_forecast).toMatchObject({ state: "ok", value: null, threshold: null });
    expect(evaluateEvidence(base).usage_forecast.state).toBe("none");
  });
});
