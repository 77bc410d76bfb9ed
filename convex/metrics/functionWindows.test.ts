import { expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { HOUR_MS, MINUTE_MS } from "./model/timeBuckets";
import { newBackend, signUp, type Backend } from "../test.helpers";
import { ingestEvents } from "./ingest";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 30);
let sequence = 0;

function execution(ts: number, path: string, durationMs: number): RawLogEvent {
  sequence += 1;
  return {
    topic: "function_execution",
    timestamp: ts,
    convex: { deployment_name: "prod-w", deployment_type: "prod", project_name: "app", project_slug: "app" },
    function: { path, type: "query", cached: false, request_id: `w-${sequence}` },
    execution_time_ms: durationMs,
    status: "success",
    error_message: null,
    usage: { database_read_documents: 2 },
  };
}

/** What the minute cron and the runs it schedules do, run to the end. */
async function advance(t: Backend, now: number) {
  while (
    !(await t.mutation(internal.metrics.functionWindows.advanceDeploymentWindows, {
      deployment: "prod-w",
      now,
    }))
  );
}

async function ingest(t: Backend, events: RawLogEvent[], receivedAt: number) {
  await t.run(async (ctx) => ingestEvents(ctx, { digest: `w-batch-${++sequence}`, events }, receivedAt));
}

test("the last hour's function table follows the window as minutes leave it", async () => {
  const t = await newBackend();
  const viewer = (await signUp(t, "admin@example.com")).client;
  await ingest(
    t,
    [execution(NOW - 50 * MINUTE_MS, "old:fn", 900), execution(NOW - 50 * MINUTE_MS, "a:b", 10)],
    NOW - 50 * MINUTE_MS,
  );
  await ingest(t, [execution(NOW - MINUTE_MS, "a:b", 20), execution(NOW, "a:b", 30)], NOW);

  await advance(t, NOW);
  const stats = (to: number) =>
    viewer.query(api.metrics.metrics.functionStats, { deployment: "prod-w", from: to - HOUR_MS, to });
  const now = await stats(NOW);
  expect(now.granularity).toBe("window");
  expect(Object.fromEntries(now.functions.map((row) => [row.functionPath, row.calls]))).toEqual({
    "old:fn": 1,
    "a:b": 3,
  });

  // Twenty minutes on, the batch from 50 minutes before has left the hour.
  const later = NOW + 20 * MINUTE_MS;
  await advance(t, later);
  const moved = await stats(later);
  expect(moved.granularity).toBe("window");
  expect(moved.functions.map((row) => [row.functionPath, row.calls, row.maxMs])).toEqual([["a:b", 2, 30]]);
  // A custom range still reads the rollups, and agrees.
  const custom = await viewer.query(api.metrics.metrics.functionStats, {
    deployment: "prod-w",
    from: NOW - 2 * MINUTE_MS,
    to: NOW + MINUTE_MS,
  });
  expect(custom.granularity).toBe("minute");
  expect(custom.functions.map((row) => [row.functionPath, row.calls])).toEqual([["a:b", 2]]);
});

test("an execution older than a window's start is not added to it", async () => {
  const t = await newBackend();
  const viewer = (await signUp(t, "admin@example.com")).client;
  await ingest(t, [execution(NOW, "a:b", 10)], NOW);
  await advance(t, NOW + 10 * MINUTE_MS);
  // A retry delivers a call from before the 15-minute window's start, after the window moved past it.
  await ingest(t, [execution(NOW - 6 * MINUTE_MS, "late:fn", 10)], NOW - 2 * MINUTE_MS);
  const stats = await viewer.query(api.metrics.metrics.functionStats, {
    deployment: "prod-w",
    from: NOW + 10 * MINUTE_MS - 15 * MINUTE_MS,
    to: NOW + 10 * MINUTE_MS,
  });
  expect(stats.granularity).toBe("window");
  expect(stats.functions.map((row) => row.functionPath)).toEqual(["a:b"]);
});
