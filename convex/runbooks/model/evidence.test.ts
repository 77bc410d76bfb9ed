import { describe, expect, test } from "vitest";
import { evaluateEvidence } from "./evidence";

const NOW = Date.parse("2026-11-22T10:00:00Z");
const base = {
  deployment: "prod-app",
  lastEventAt: NOW - 30_000,
  calls: 200,
  errorRate: 0.005,
  p95Ms: 120,
  thresholds: { errorRate: 0.01, p95Ms: 500 },
  now: NOW,
};

describe("evidence beside checklist items", () => {
  test("compares the last hour against the alert thresholds", () => {
    const ok = evaluateEvidence(base);
    expect(ok.error_rate).toEqual({
      source: "error_rate",
      state: "ok",
      text: "0.5% errors in the last hour on prod-app (threshold 1%)",
    });
    expect(ok.p95_latency.text).toBe("p95 120 ms in the last hour on prod-app (threshold 500 ms)");
    expect(ok.log_stream).toMatchObject({
      state: "ok",
      text: "Receiving from prod-app: last event less than a minute ago",
    });
    const bad = evaluateEvidence({ ...base, errorRate: 0.25, p95Ms: 900, lastEventAt: NOW - 10 * 60_000 });
    expect([bad.error_rate.state, bad.p95_latency.state, bad.log_stream.state]).toEqual([
      "alert",
      "alert",
      "alert",
    ]);
    expect(bad.error_rate.text).toContain("25% errors");
  });

  test("says so when a source has no data", () => {
    const none = evaluateEvidence({ ...base, deployment: null, lastEventAt: null, calls: 0, p95Ms: null });
    expect(Object.values(none).map((evidence) => evidence.state)).toEqual(["none", "none", "none", "none"]);
    expect(none.backup_verification.text).toBe("No backups yet: Backups arrive in a later issue");
    expect(evaluateEvidence({ ...base, calls: 0, p95Ms: null }).error_rate.text).toBe(
      "No calls in the last hour on prod-app",
    );
  });
});
