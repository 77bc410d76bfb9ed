import { expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import { HOUR_MS } from "./model/timeBuckets";
import { newBackend, signUp } from "../test.helpers";
import { seedProgressNote } from "./demo";

test("an hour of seeded demo history fills the dashboards of the demo deployment", async () => {
  const t = await newBackend();
  const viewer = (await signUp(t, "admin@example.com")).client;
  const to = Date.UTC(2026, 10, 22, 12, 0);
  for (let from = to - HOUR_MS; from < to; from += 10 * 60_000) {
    await t.mutation(internal.metrics.demo.seedSlice, { from, to: from + 10 * 60_000 });
  }
  const stats = await viewer.query(api.metrics.metrics.functionStats, {
    deployment: "demo-app-prod",
    from: to - HOUR_MS,
    to,
  });
  expect(stats.functions.length).toBeGreaterThan(8);
  const series = await viewer.query(api.metrics.metrics.errorSeries, {
    deployment: "demo-app-prod",
    from: to - HOUR_MS,
    to,
  });
  expect(series.points).toHaveLength(60);
  expect(series.points.reduce((total, point) => total + point.calls, 0)).toBeGreaterThan(200);
  const status = await viewer.query(api.metrics.webhookSecrets.status, {});
  expect(status.deployments.map((deployment) => deployment.name)).toEqual(["demo-app-prod"]);
}, 30_000);

test("seeding writes the newest slice first, then each slice schedules the next older one", async () => {
  vi.useFakeTimers();
  try {
    const now = Date.UTC(2026, 10, 22, 12, 34);
    vi.setSystemTime(now);
    const t = await newBackend();
    await t.mutation(internal.metrics.demo.seedHistory, {});
    const pending = async () =>
      (await t.run(async (ctx) => await ctx.db.system.query("_scheduled_functions").collect()))
        .filter((job) => job.state.kind === "pending")
        .map((job) => job.args[0] as { from: number; to: number; historyStart: number });
    const [newest] = await pending();
    const historyStart = Date.UTC(2026, 10, 21, 12, 0);
    expect(newest).toEqual({ from: now - 10 * 60_000, to: now, historyStart });
    await t.mutation(internal.metrics.demo.seedSlice, newest!);
    const next = (await pending()).filter((args) => args.to === newest!.from);
    expect(next).toEqual([{ from: now - 20 * 60_000, to: now - 10 * 60_000, historyStart, historyEnd: now }]);
  } finally {
    vi.useRealTimers();
  }
});

test("the progress note appears at each whole hour written and at the end", () => {
  const end = Date.UTC(2026, 10, 22, 12, 34);
  const start = Date.UTC(2026, 10, 21, 12, 0);
  expect(seedProgressNote(end - 10 * 60_000, end, start, end)).toBeNull();
  expect(seedProgressNote(end - HOUR_MS, end - HOUR_MS + 10 * 60_000, start, end)).toBe(
    "demo history: 1 of 25 hours written, older hours filling in",
  );
  expect(seedProgressNote(start, start + 10 * 60_000, start, end)).toBe("demo history: all 25 hours written");
});

test("history written newest first still shows the deployment's first event as the oldest one", async () => {
  const t = await newBackend();
  const viewer = (await signUp(t, "admin@example.com")).client;
  const to = Date.UTC(2026, 10, 22, 12, 0);
  const newestSlice = { from: to - 10 * 60_000, to };
  const olderSlice = { from: to - 20 * 60_000, to: to - 10 * 60_000 };
  await t.mutation(internal.metrics.demo.seedSlice, newestSlice);
  await t.mutation(internal.metrics.demo.seedSlice, olderSlice);
  const [deployment] = (await viewer.query(api.metrics.webhookSecrets.status, {})).deployments;
  expect(deployment!.firstEventAt).toBeLessThan(olderSlice.to);
  expect(deployment!.lastEventAt).toBeGreaterThanOrEqual(newestSlice.from);
});
