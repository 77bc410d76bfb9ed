import { describe, expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { HOUR_MS, MINUTE_MS } from "./model/timeBuckets";
import { newBackend, signUp, type Backend } from "../test.helpers";
import { ingestEvents } from "./ingest";
import { convexOf, executionEvent as execution } from "./model/logStream.fixtures";
import { SWEEP_CHUNK } from "./retention";

const NOW = Date.UTC(2026, 10, 22, 12, 0);
let sequence = 0;

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
    const overview = await viewer.query(api.metrics.metrics.overview, { deployment: "prod-a", now: NOW });
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
    const stats = await viewer.query(api.metrics.metrics.functionStats, {
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
    const series = await viewer.query(api.metrics.metrics.errorSeries, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    expect(series.points.map((point) => point.failuresByCode)).toEqual([
      { TIMEOUT: 1, VALIDATION_ERROR: 1 },
      { VALIDATION_ERROR: 1 },
    ]);
    const groups = await viewer.query(api.metrics.metrics.errorGroups, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
      code: "VALIDATION_ERROR",
    });
    expect(groups.groups).toEqual([
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
        convex: convexOf("prod-a"),
        function: { path: "tasks:list", type: "query", request_id: "shared" },
        log_level: "INFO",
        message: "starting",
      },
    ]);
    const timeline = await viewer.query(api.metrics.metrics.requestTimeline, {
      deployment: "prod-a",
      requestId: "shared",
    });
    expect(timeline.map((row) => row.kind)).toEqual(["log", "execution"]);
  });

  test("a range that ends before it starts or spans more than a week is refused", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await expect(
      viewer.query(api.metrics.metrics.slowCalls, { deployment: "prod-a", from: NOW, to: NOW - 1 }),
    ).rejects.toThrow(/must end after/);
    await expect(
      viewer.query(api.metrics.metrics.functionStats, {
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

  test("sweeps error-group minute buckets with the minute rollups and keeps the hour ones", async () => {
    const t = await newBackend();
    await ingest(t, [failure(NOW - 9 * 24 * HOUR_MS, "old:fn", "Function execution timed out")]);
    await ingest(t, [failure(NOW - MINUTE_MS, "new:fn", "Function execution timed out")]);
    await t.mutation(internal.metrics.retention.sweep, { now: NOW });
    const left = await t.run(async (ctx) =>
      (await ctx.db.query("errorGroupBuckets").collect()).map(
        (row) => `${row.functionPath} ${row.granularity}`,
      ),
    );
    expect(left.sort()).toEqual(["new:fn hour", "new:fn minute", "old:fn hour"]);
  });
});

describe("retention sweep of usage and deployment audit rows", () => {
  const DAY_MS = 24 * HOUR_MS;

  test("deletes storage egress days and deployment audit events past retention, keeps recent ones", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (const [deployment, day] of [
        ["prod-a", NOW - 401 * DAY_MS],
        ["prod-a", NOW - DAY_MS],
        ["prod-b", NOW - 500 * DAY_MS],
      ] as const) {
        await ctx.db.insert("storageBandwidth", { deployment, day, egressBytes: 10, downloads: 1 });
      }
      for (const ts of [NOW - 401 * DAY_MS, NOW - 2 * DAY_MS]) {
        await ctx.db.insert("deploymentAuditLog", {
          deployment: "prod-a",
          ts,
          action: "push_config",
          metadata: "{}",
        });
      }
    });
    const deleted = await t.mutation(internal.metrics.retention.sweep, { now: NOW });
    expect(deleted).toMatchObject({ storageBandwidth: 2, deploymentAuditLog: 1 });
    const left = await t.run(async (ctx) => ({
      days: (await ctx.db.query("storageBandwidth").collect()).map((row) => row.day),
      events: (await ctx.db.query("deploymentAuditLog").collect()).map((row) => row.ts),
    }));
    expect(left).toEqual({ days: [NOW - DAY_MS], events: [NOW - 2 * DAY_MS] });
  });

  test("deletes gauges (scheduler, concurrency, storage) older than the minute rollups, keeps recent ones", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (const [metric, bucket] of [
        ["lag_seconds", NOW - 9 * DAY_MS],
        ["concurrency.query.num_running", NOW - 30 * DAY_MS],
        ["lag_seconds", NOW - HOUR_MS],
      ] as const) {
        await ctx.db.insert("gauges", { deployment: "prod-a", metric, bucket, value: 1, max: 1 });
      }
    });
    const deleted = await t.mutation(internal.metrics.retention.sweep, { now: NOW });
    expect(deleted).toMatchObject({ gauges: 2 });
    const left = await t.run(async (ctx) =>
      (await ctx.db.query("gauges").collect()).map((row) => row.bucket),
    );
    expect(left).toEqual([NOW - HOUR_MS]);
  });

  test("sweeps in bounded chunks and schedules the rest", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (let index = 0; index < SWEEP_CHUNK + 5; index++) {
        await ctx.db.insert("deploymentAuditLog", {
          deployment: "prod-a",
          ts: NOW - 500 * DAY_MS + index,
          action: "push_config",
          metadata: "{}",
        });
      }
    });
    const first = await t.mutation(internal.metrics.retention.sweep, { now: NOW });
    expect(first.deploymentAuditLog).toBe(SWEEP_CHUNK);
    await t.finishAllScheduledFunctions(() => {});
    const left = await t.run(async (ctx) => (await ctx.db.query("deploymentAuditLog").collect()).length);
    expect(left).toBe(0);
  });
});

function failure(ts: number, path: string, message: string, requestId?: string): RawLogEvent {
  const event = execution(ts, path, { status: "failure", error_message: message });
  if (requestId !== undefined) {
    (event.function as { request_id: string }).request_id = requestId;
  }
  return event;
}

/** Each event delivered when it happens, as Convex streams them; the replay window accepts all. */
async function ingestOneByOne(t: Backend, events: RawLogEvent[]) {
  for (const event of events) await ingest(t, [event]);
}

describe("numbers that agree with each other", () => {
  test("error-group counts, first and last seen are for the selected range only", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    const message = "Uncaught Error: Task 12 not found";
    await ingest(t, [failure(NOW - 3 * HOUR_MS, "tasks:get", message)]);
    await ingest(t, [failure(NOW - 2 * HOUR_MS, "tasks:get", message)]);
    await ingestOneByOne(t, [
      failure(NOW - 20 * MINUTE_MS, "tasks:get", message),
      failure(NOW - 5 * MINUTE_MS, "tasks:get", message, "newest-in-range"),
    ]);
    const lastHour = await viewer.query(api.metrics.metrics.errorGroups, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    expect(lastHour.truncated).toBe(false);
    expect(lastHour.groups).toEqual([
      expect.objectContaining({
        code: "NOT_FOUND",
        count: 2,
        firstSeen: NOW - 20 * MINUTE_MS,
        lastSeen: NOW - 5 * MINUTE_MS,
        lastRequestId: "newest-in-range",
      }),
    ]);
    const series = await viewer.query(api.metrics.metrics.errorSeries, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    const charted = series.points.reduce((total, point) => total + (point.failuresByCode.NOT_FOUND ?? 0), 0);
    expect(lastHour.groups[0]!.count).toBe(charted);

    const day = await viewer.query(api.metrics.metrics.errorGroups, {
      deployment: "prod-a",
      from: NOW - 24 * HOUR_MS,
      to: NOW,
    });
    expect(day.groups).toEqual([expect.objectContaining({ count: 4, firstSeen: NOW - 3 * HOUR_MS })]);
  });

  test("the code filter finds an older group behind hundreds of newer groups of other codes", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await ingest(t, [
      failure(
        NOW - 50 * MINUTE_MS,
        "orders:create",
        "ArgumentValidationError: Value does not match validator",
      ),
    ]);
    const newer = Array.from({ length: 210 }, (_, index) =>
      failure(NOW - 10 * MINUTE_MS, `module:fn${index}`, "Uncaught Error: Task 12 not found"),
    );
    for (let start = 0; start < newer.length; start += 105) {
      await ingest(t, newer.slice(start, start + 105));
    }
    const filtered = await viewer.query(api.metrics.metrics.errorGroups, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
      code: "VALIDATION_ERROR",
    });
    expect(filtered.groups).toEqual([
      expect.objectContaining({ code: "VALIDATION_ERROR", functionPath: "orders:create", count: 1 }),
    ]);
    expect(filtered.truncated).toBe(false);

    const all = await viewer.query(api.metrics.metrics.errorGroups, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    expect(all.truncated).toBe(true);
    expect(all.groups.length).toBeLessThan(211);
  }, 30_000);

  test("failures by function carry their codes, so a code filter can apply to them", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await ingest(t, [
      failure(NOW - 5 * MINUTE_MS, "a:b", "Function execution timed out"),
      failure(NOW - 5 * MINUTE_MS, "a:b", "ArgumentValidationError: Value does not match validator"),
      failure(NOW - 5 * MINUTE_MS, "c:d", "Function execution timed out"),
    ]);
    const stats = await viewer.query(api.metrics.metrics.functionStats, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    const byPath = Object.fromEntries(stats.functions.map((row) => [row.functionPath, row.failuresByCode]));
    expect(byPath).toEqual({ "a:b": { TIMEOUT: 1, VALIDATION_ERROR: 1 }, "c:d": { TIMEOUT: 1 } });
  });

  test("the overview gives the rolling rate of the last five full minutes beside the hourly average", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    const now = NOW + MINUTE_MS;
    await ingest(
      t,
      Array.from({ length: 6 }, () => execution(NOW - 40 * MINUTE_MS, "tasks:list")),
    );
    await ingest(t, [
      ...Array.from({ length: 30 }, () => execution(NOW - MINUTE_MS + 1000, "tasks:list")),
      execution(NOW + 5000, "tasks:list"),
    ]);
    const overview = await viewer.query(api.metrics.metrics.overview, { deployment: "prod-a", now });
    expect(overview.requestsPerMinute).toBeCloseTo(37 / 60);
    // The minute still filling (from NOW) is left out; the one at NOW - 40 min is outside the window.
    expect(overview.recentRate).toEqual({ from: NOW - 5 * MINUTE_MS, to: NOW, calls: 30, perMinute: 6 });
  });

  test("a group's failing calls are its own failures in the range, newest first, with request ids", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await ingestOneByOne(t, [
      failure(NOW - 30 * MINUTE_MS, "tasks:get", "Uncaught Error: Task 1 not found", "fail-1"),
      failure(NOW - 20 * MINUTE_MS, "tasks:get", "Uncaught Error: Task 2 not found", "fail-2"),
      failure(NOW - 20 * MINUTE_MS, "tasks:get", "Function execution timed out", "other-code"),
      failure(NOW - 20 * MINUTE_MS, "tasks:list", "Uncaught Error: Task 3 not found", "other-fn"),
      execution(NOW - 10 * MINUTE_MS, "tasks:get", { execution_time_ms: 2000 }),
    ]);
    const { groups } = await viewer.query(api.metrics.metrics.errorGroups, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
      code: "NOT_FOUND",
    });
    const group = groups.find((row) => row.functionPath === "tasks:get")!;
    const calls = await viewer.query(api.metrics.metrics.errorGroupCalls, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
      group: group.groupId,
    });
    expect(calls.group).toMatchObject({ functionPath: "tasks:get", code: "NOT_FOUND" });
    expect(calls.calls.map((call) => call.requestId)).toEqual(["fail-2", "fail-1"]);
    expect(calls.truncated).toBe(false);
    await expect(
      viewer.query(api.metrics.metrics.errorGroupCalls, {
        deployment: "prod-a",
        from: NOW - HOUR_MS,
        to: NOW,
        group: "not-an-id",
      }),
    ).rejects.toThrow(/no longer exists|not found/i);
  });

  test("percentiles never exceed the slowest call or undercut the fastest", async () => {
    const t = await newBackend();
    const viewer = await viewerOf(t);
    await ingest(t, [
      ...Array.from({ length: 50 }, () =>
        execution(NOW - 5 * MINUTE_MS, "slow:fn", { execution_time_ms: 8870 }),
      ),
      ...Array.from({ length: 50 }, () =>
        execution(NOW - 5 * MINUTE_MS, "fast:fn", { execution_time_ms: 1.18 }),
      ),
    ]);
    const stats = await viewer.query(api.metrics.metrics.functionStats, {
      deployment: "prod-a",
      from: NOW - HOUR_MS,
      to: NOW,
    });
    for (const row of stats.functions) {
      for (const value of [row.p50Ms, row.p95Ms, row.p99Ms]) {
        expect(value).toBeLessThanOrEqual(row.maxMs);
        expect(value).toBeGreaterThanOrEqual(row.functionPath === "fast:fn" ? 1.18 : 8870);
      }
    }
  });
});
