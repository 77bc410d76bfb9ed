import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexClient } from "convex/browser";
import { nextCronTime, nextRun } from "./crons.ts";
import { queryRef, spawnBackend, waitFor } from "./testSupport.ts";

const at = (iso: string) => Date.parse(iso);

describe("cron schedules", () => {
  it("computes the next run of each schedule type in UTC", () => {
    const from = at("2026-03-10T10:20:30Z"); // a Tuesday
    expect(nextRun({ type: "interval", seconds: 30 }, from)).toBe(from + 30_000);
    expect(nextRun({ type: "interval", minutes: 5 }, from)).toBe(from + 300_000);
    expect(nextRun({ type: "hourly", minuteUTC: 15 }, from)).toBe(at("2026-03-10T11:15:00Z"));
    expect(nextRun({ type: "daily", hourUTC: 9, minuteUTC: 0 }, from)).toBe(at("2026-03-11T09:00:00Z"));
    expect(nextRun({ type: "weekly", dayOfWeek: 1, hourUTC: 0 }, from)).toBe(at("2026-03-16T00:00:00Z"));
    expect(nextRun({ type: "monthly", day: 1, hourUTC: 2, minuteUTC: 30 }, from)).toBe(
      at("2026-04-01T02:30:00Z"),
    );
    expect(nextCronTime("*/15 * * * *", from)).toBe(at("2026-03-10T10:30:00Z"));
    expect(nextCronTime("0 0 29 2 *", from)).toBe(at("2028-02-29T00:00:00Z"));
    expect(() => nextCronTime("61 * * * *", from)).toThrow();
  });
});

describe("crons on the local backend", { timeout: 30_000 }, () => {
  it("runs convex/crons.ts jobs in real time and pushes their writes", async () => {
    const backend = await spawnBackend({ crons: true });
    const client = new ConvexClient(backend.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      skipConvexDeploymentUrlCheck: true,
      logger: false,
    });
    try {
      const values: number[] = [];
      client.onUpdate(queryRef("counters:get"), { name: "cron" }, (v: unknown) => values.push(v as number));
      // The fixture's heartbeat runs every second.
      await waitFor(() => values.some((v) => v >= 2), 8000, "two cron runs");
      expect(values.length).toBeGreaterThanOrEqual(2);
    } finally {
      await client.close();
      await backend.stop();
    }
  });
});
