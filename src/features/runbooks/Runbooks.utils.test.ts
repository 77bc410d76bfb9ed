import { describe, expect, it } from "vitest";
import { evidenceSentence } from "./Runbooks.utils";

const NOW = Date.parse("2026-11-22T10:00:00Z");

describe("evidence sentences", () => {
  it("words the last hour against the thresholds like the Overview tiles do", () => {
    expect(
      evidenceSentence(
        { source: "error_rate", state: "ok", deployment: "prod-app", value: 0.005, threshold: 0.01 },
        NOW,
      ),
    ).toBe("0.50% errors in the last hour on prod-app (threshold 1.00%)");
    expect(
      evidenceSentence(
        { source: "p95_latency", state: "alert", deployment: "prod-app", value: 912.4, threshold: 500 },
        NOW,
      ),
    ).toBe("p95 912 ms in the last hour on prod-app (threshold 500 ms)");
  });

  it("says how long ago the stream last sent, stale or not", () => {
    const stream = { source: "log_stream" as const, deployment: "prod-app", threshold: null };
    expect(evidenceSentence({ ...stream, state: "ok", value: NOW - 30_000 }, NOW)).toBe(
      "Receiving from prod-app: last event 30 seconds ago",
    );
    expect(evidenceSentence({ ...stream, state: "alert", value: NOW - 10 * 60_000 }, NOW)).toBe(
      "Stale: last event from prod-app 10 minutes ago",
    );
  });

  it("says so when there is nothing to measure", () => {
    const none = { state: "none" as const, value: null, threshold: 0.01 };
    expect(evidenceSentence({ ...none, source: "error_rate", deployment: null }, NOW)).toBe(
      "No metrics yet: connect a log stream in Settings",
    );
    expect(evidenceSentence({ ...none, source: "error_rate", deployment: "prod-app" }, NOW)).toBe(
      "No calls in the last hour on prod-app",
    );
    expect(evidenceSentence({ ...none, source: "log_stream", deployment: null, threshold: null }, NOW)).toBe(
      "No log stream connected yet",
    );
  });

  it("words backup evidence with the Backups page's RPO rule", () => {
    const backup = { source: "backup_verification" as const, deployment: null, threshold: 3_600_000 };
    expect(evidenceSentence({ ...backup, state: "ok", value: NOW - 12 * 60_000 }, NOW)).toBe(
      "Within RPO: the newest verified backup is 12 minutes old (target: 1 hour).",
    );
    expect(evidenceSentence({ ...backup, state: "none", value: null }, NOW)).toBe(
      "No verified backup yet: a restore has nothing to restore from (target: 1 hour).",
    );
  });

  it("words the usage forecast: the worst metric against the plan and the next limit ahead", () => {
    const usage = {
      source: "usage_forecast" as const,
      deployment: null,
      value: null,
      threshold: null,
    };
    expect(
      evidenceSentence(
        {
          ...usage,
          state: "alert",
          usage: {
            plan: "free",
            worst: { metric: "databaseIo", state: "Approaching", share: 0.85 },
            nextCrossing: { metric: "databaseIo", threshold: 1, at: Date.UTC(2026, 10, 27, 12) },
            timeZone: "UTC",
          },
        },
        NOW,
      ),
    ).toBe(
      "Free plan: Database I/O is at 85.0% of the included amount; Database I/O reaches 100 % on Nov 27",
    );
    expect(
      evidenceSentence(
        {
          ...usage,
          state: "none",
          usage: { plan: "professional", worst: null, nextCrossing: null, timeZone: "UTC" },
        },
        NOW,
      ),
    ).toBe("No usage metered this month yet (Professional plan)");
  });
});
