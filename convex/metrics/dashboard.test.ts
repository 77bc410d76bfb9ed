import { describe, expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "./model/logStream";
import { HOUR_MS, MINUTE_MS } from "./model/timeBuckets";
import { newBackend, signUp, type Backend } from "../test.helpers";
import { ingestEvents } from "./ingest";

const NOW = Date.UTC(2026, 10, 22, 12, 0);
const convex = {
  deployment_name: "prod-a",
  deployment_type: "prod",
  project_name: "app",
  project_slug: "app",
};
let sequence = 0;

function execution(ts: number, path: string, overrides: Record<string, unknown> = {}): RawLogEvent {
  sequence += 1;
  return {
    topic: "function_execution",
    timestamp: ts,
    convex,
    function: {
      path,
      type: path.includes("update") ? "mutation" : "query",
      cached: false,
      request_id: `req-${sequence}`,
    },
    execution_time_ms: 20,
    status: "success",
    error_message: null,
    usage: { database_read_documents: 4 },
    ...overrides,
  };
}

/** Delivered as the newest event happens, so the replay window accepts the whole batch. */
async function ingest(t: Backend, events: RawLogEvent[]) {
  const receivedAt = Math.max(...events.map((event) => event.timestamp));
  return await t.run(async (ctx) => ingestEvents(ctx, { digest: `batch-${++sequence}`, events }, receivedAt));
}

async function viewerOf(t: Backend) {
  return (await signUp(t, "admin@example.com")).client;
}

describe("dashboard queries", () => {
  test("overview tiles sum the last hour: rate, error rate, p95, OCC share, slow calls", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    const at = NOW - 10 * MINUTE_MS;
    await ingest(t, [
      ...Array.from({ length: 96 }, () => execution(at, "tasks:list")),
      execution(at, "tasks:list", { execution_time_ms: 900 }),
      execution(at, "tasks:update", {
        status: "failure",
        error_message: "changed while this mutation was being run",
        occ_info: { table_name: "tasks" },
      }),
      execution(at, "tasks:update"),
      execution(at, "tasks:get", { status: "failure", error_message: "Uncaught Error: Task 12 not found" }),
    ]);
    const overview = await viewer.query(api.metrics.dashboard.overview, { deployment: "prod-a", now: NOW });
    expect(overview.requestsPerMinute).toBeCloseTo(100 / 60);
    expect(overview.errorRate).toBeCloseTo(0.02);
    expect(overview.occShare).toBeCloseTo(0.5);
    expect(overview.slowCallsLastHour).toBe(1);
    expect(overview.p95Ms).toBeGreaterThan(15);
    expect(overview.p95Ms).toBeLessThan(25);
    expect(overview.series).toHaveLength(1);
  });

  test("function stats give per-function percentiles and shares of total time", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await ingest(t, [
      execution(NOW - 5 * MINUTE_MS, "tasks:list", { execution_time_ms: 100 }),
      execution(NOW - 4 * MINUTE_MS, "tasks:list", { execution_time_ms: 200 }),
      execution(NOW - 3 * MINUTE_MS, "tasks:get", { execution_time_ms: 100 }),
    ]);
    const stats = await viewer.query(api.metrics.dashboard.functionStats, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    const byPath = Object.fromEntries(stats.functions.map((row) => [row.functionPath, row]));
    expect(byPath["tasks:list"]).toMatchObject({
      calls: 2,
      maxMs: 200,
      meanMs: 150,
      shareOfTime: 0.75,
      meanReadDocuments: 4,
    });
    expect(byPath["tasks:get"]).toMatchObject({ calls: 1, shareOfTime: 0.25 });
  });

  test("the error series stacks failures by code per bucket", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await ingest(t, [
      execution(NOW - 2 * MINUTE_MS, "a:b", {
        status: "failure",
        error_message: "Function execution timed out",
      }),
      execution(NOW - 2 * MINUTE_MS, "a:b", {
        status: "failure",
        error_message: "ArgumentValidationError: Value does not match validator",
      }),
      execution(NOW - MINUTE_MS, "a:b", {
        status: "failure",
        error_message: "ArgumentValidationError: Value does not match validator",
      }),
    ]);
    const series = await viewer.query(api.metrics.dashboard.errorSeries, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    expect(series.points.map((point) => point.failuresByCode)).toEqual([
      { TIMEOUT: 1, VALIDATION_ERROR: 1 },
      { VALIDATION_ERROR: 1 },
    ]);
    const groups = await viewer.query(api.metrics.dashboard.errorGroups, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
      code: "VALIDATION_ERROR",
    });
    expect(groups).toEqual([
      expect.objectContaining({ code: "VALIDATION_ERROR", count: 2, functionPath: "a:b" }),
    ]);
  });

  test("the request timeline shows the execution and its log lines in time order", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await ingest(t, [
      execution(NOW - 1000, "tasks:list", {
        function: { path: "tasks:list", type: "query", request_id: "shared" },
      }),
      {
        topic: "console",
        timestamp: NOW - 2000,
        convex,
        function: { path: "tasks:list", type: "query", request_id: "shared" },
        log_level: "INFO",
        message: "starting",
      },
    ]);
    const timeline = await viewer.query(api.metrics.dashboard.requestTimeline, {
      deployment: "prod-a",
      requestId: "shared",
    });
    expect(timeline.map((row) => row.kind)).toEqual(["log", "execution"]);
  });

  test("a range that ends before it starts or spans more than a week is refused", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await expect(
      viewer.query(api.metrics.dashboard.slowCalls, { deployment: "prod-a", from: NOW, to: NOW - 1 }),
    ).rejects.toThrow(/must end after/);
    await expect(
      viewer.query(api.metrics.dashboard.functionStats, {
        deployment: "prod-a",
        from: NOW - 8 * 24 * HOUR_MS,
        to: NOW,
      }),
    ).rejects.toThrow(/at most 7 days/);
  });
});

describe("retention sweep", () => {
  test("deletes raw rows past retention and keeps rollups and recent rows", async () => {
    const t = await newBackend();
    await ingest(t, [execution(NOW - 30 * HOUR_MS, "old:fn")]);
    await ingest(t, [execution(NOW - MINUTE_MS, "new:fn")]);
    const deleted = await t.mutation(internal.metrics.retention.sweep, { now: NOW });
    expect(deleted).toMatchObject({ executions: 1, seenBatches: 1 });
    const left = await t.run(async (ctx) => ({
      executions: (await ctx.db.query("executions").collect()).map((row) => row.functionPath),
      hourRollups: (await ctx.db.query("rollups").collect()).filter((row) => row.granularity === "hour")
        .length,
    }));
    expect(left).toEqual({ executions: ["new:fn"], hourRollups: 4 });
  });
});
