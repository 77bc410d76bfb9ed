import { expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import { HOUR_MS } from "./model/timeBuckets";
import { newBackend, signUp } from "../test.helpers";

test("an hour of seeded demo history fills the dashboards of the demo deployment", async () => {
  const t = await newBackend();
  const viewer = (await signUp(t, "admin@example.com")).client;
  const to = Date.UTC(2026, 10, 22, 12, 0);
  for (let from = to - HOUR_MS; from < to; from += 10 * 60_000) {
    await t.mutation(internal.metrics.demo.seedSlice, { from, to: from + 10 * 60_000 });
  }
  const stats = await viewer.query(api.metrics.dashboard.functionStats, {
    deployment: "demo-app-prod",
    from: to - HOUR_MS,
    to,
  });
  expect(stats.functions.length).toBeGreaterThan(8);
  const series = await viewer.query(api.metrics.dashboard.errorSeries, {
    deployment: "demo-app-prod",
    from: to - HOUR_MS,
    to,
  });
  expect(series.points).toHaveLength(60);
  expect(series.points.reduce((total, point) => total + point.calls, 0)).toBeGreaterThan(200);
  const status = await viewer.query(api.metrics.webhook.status, {});
  expect(status.deployments.map((deployment) => deployment.name)).toEqual(["demo-app-prod"]);
});
