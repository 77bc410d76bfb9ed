import { afterEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import { ingestEvents } from "../metrics/ingest.helpers";
import { EXAMPLE_CONVEX, storageReportEvent } from "../metrics/model/logStream.fixtures";
import type { RawLogEvent } from "../lib/logEvent";
import { storeConnection } from "../deployment/connection.helpers";
import { newBackend, rejectionCode, teamOfThree, type Backend } from "../test.helpers";
import { PLAN_CATALOG } from "./model/plans";

const DAY = 24 * 3_600_000;
const NOW = Date.UTC(2026, 10, 24, 12);
let sequence = 0;

function call(ts: number, path: string, usage: Record<string, unknown> = {}, type = "query"): RawLogEvent {
  sequence++;
  return {
    topic: "function_execution",
    timestamp: ts,
    convex: EXAMPLE_CONVEX,
    function: { path, type, cached: false, request_id: `r${sequence}` },
    execution_time_ms: 2000,
    status: "success",
    error_message: null,
    usage,
  };
}

async function ingest(t: Backend, events: RawLogEvent[]) {
  const receivedAt = Math.max(...events.map((event) => event.timestamp));
  await t.run(async (ctx) => ingestEvents(ctx, { digest: `usage-${++sequence}`, events }, receivedAt));
}

const metricOf = (summary: { metrics: { metric: string }[] }, name: string) =>
  summary.metrics.find((entry) => entry.metric === name) as unknown as {
    value: number | null;
    state: string | null;
  };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("usage from the log stream", () => {
  test("the ingest meters a batch into daily rollups the summary reads", async () => {
    const t = await newBackend();
    const { viewer } = await teamOfThree(t);
    await ingest(t, [
      call(NOW - 1000, "tasks:list", { database_io_read_bytes: 2 ** 29 }),
      call(NOW - 900, "files:send", { action_memory_used_mb: 512, network_egress_bytes: 2 ** 29 }, "action"),
      storageReportEvent(NOW - 800, 2 ** 29),
      storageReportEvent(NOW - 700, 2 ** 28),
    ]);
    const summary = await viewer.client.query(api.usage.usage.summary, { now: NOW });
    expect(metricOf(summary, "functionCalls").value).toBe(2);
    expect(metricOf(summary, "actionCompute").value).toBeCloseTo(0.000278, 6);
    expect(metricOf(summary, "databaseIo").value).toBe(0.5);
    expect(metricOf(summary, "dataEgress").value).toBe(0.5);
    expect(metricOf(summary, "databaseStorage").value).toBe(0.25);
    expect(summary.plan).toMatchObject({ plan: "free", chosen: false });

    const top = await viewer.client.query(api.usage.usage.topFunctions, { now: NOW });
    expect(top.actionCompute[0]).toMatchObject({ functionPath: "files:send" });
    expect(top.databaseIo[0]).toMatchObject({ functionPath: "tasks:list", value: 0.5 });
  });

  test("the run rate counts from the day's first event, kept across batches", async () => {
    const t = await newBackend();
    const { viewer } = await teamOfThree(t);
    await ingest(t, [call(NOW - 2 * 3_600_000, "tasks:list")]);
    await ingest(t, [call(NOW - 3 * 3_600_000, "tasks:list")]);
    const rows = await t.run(async (ctx) => ctx.db.query("usageDaily").collect());
    expect(rows.map((row) => row.firstFlowAt)).toEqual([NOW - 3 * 3_600_000]);
    const summary = await viewer.client.query(api.usage.usage.summary, { now: NOW });
    const forecast = summary.metrics.find((entry) => entry.metric === "functionCalls")!.forecast!;
    // Two calls in three hours: two-thirds of a call an hour for the rest of November.
    expect(forecast.projectedMonthEnd).toBeCloseTo(
      2 + (2 / 3) * ((Date.UTC(2026, 11, 1) - NOW) / 3_600_000),
      6,
    );
  });

  test("a retried batch is not metered twice", async () => {
    const t = await newBackend();
    const { viewer } = await teamOfThree(t);
    const events = [call(NOW - 1000, "tasks:list")];
    for (let attempt = 0; attempt < 2; attempt++) {
      await t.run(async (ctx) => ingestEvents(ctx, { digest: "same-body", events }, NOW));
    }
    const summary = await viewer.client.query(api.usage.usage.summary, { now: NOW });
    expect(metricOf(summary, "functionCalls").value).toBe(1);
  });

  test("days are the team's: a call late on the 31st in Auckland belongs to the next month", async () => {
    const t = await newBackend();
    const { admin, viewer } = await teamOfThree(t);
    await admin.client.mutation(api.settings.settings.setTimeZone, { timeZone: "Pacific/Auckland" });
    const lateOctoberUtc = Date.UTC(2026, 9, 31, 20);
    await t.run(async (ctx) =>
      ingestEvents(ctx, { digest: "auckland", events: [call(lateOctoberUtc, "tasks:list")] }, lateOctoberUtc),
    );
    const november = await viewer.client.query(api.usage.usage.summary, { now: lateOctoberUtc + 60_000 });
    expect(november.month.key).toBe("2026-11");
    expect(metricOf(november, "functionCalls").value).toBe(1);
  });

  test("switching the plan changes the states, and the change is audited", async () => {
    const t = await newBackend();
    const { admin, viewer } = await teamOfThree(t);
    await ingest(t, [call(NOW - 1000, "tasks:list", { database_io_read_bytes: 0.9 * 2 ** 30 })]);
    await admin.client.mutation(api.usage.usage.setPlan, { plan: "professional" });
    expect(
      metricOf(await viewer.client.query(api.usage.usage.summary, { now: NOW }), "databaseIo").state,
    ).toBe("Default");
    await admin.client.mutation(api.usage.usage.setPlan, { plan: "free" });
    const summary = await viewer.client.query(api.usage.usage.summary, { now: NOW });
    expect(metricOf(summary, "databaseIo").state).toBe("Approaching");
    const headline = await viewer.client.query(api.usage.usage.headline, { now: NOW });
    expect(headline.worst).toMatchObject({ metric: "databaseIo", state: "Approaching" });
    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("audit")
        .withIndex("by_action", (q) => q.eq("action", "usage.plan_changed"))
        .collect(),
    );
    expect(audit.map((row) => [row.target, row.details?.from])).toEqual([
      ["Professional", null],
      ["Free", "Professional"],
    ]);
  });

  test("the runbook's capacity-planning evidence reads the same month and follows the plan", async () => {
    const t = await newBackend();
    const { admin, viewer } = await teamOfThree(t);
    await admin.client.mutation(api.usage.usage.setPlan, { plan: "professional" });
    expect(
      (await viewer.client.query(api.runbooks.runbooks.evidence, { now: NOW })).usage_forecast,
    ).toMatchObject({
      state: "none",
      usage: { plan: "professional", worst: null },
    });
    await ingest(t, [call(NOW - 1000, "tasks:list", { database_io_read_bytes: 0.9 * 2 ** 30 })]);
    const within = await viewer.client.query(api.runbooks.runbooks.evidence, { now: NOW });
    expect(within.usage_forecast).toMatchObject({
      state: "ok",
      usage: { worst: { metric: "databaseIo", state: "Default" } },
    });
    await admin.client.mutation(api.usage.usage.setPlan, { plan: "free" });
    const free = await viewer.client.query(api.runbooks.runbooks.evidence, { now: NOW });
    expect(free.usage_forecast).toMatchObject({
      state: "alert",
      usage: { plan: "free", worst: { metric: "databaseIo", state: "Approaching" } },
    });
    // 0.9 GB in the first half day of the 24th's data: the run rate passes 1 GB before the month ends.
    expect(free.usage_forecast.usage.nextCrossing).toMatchObject({ metric: "databaseIo", threshold: 1 });
    expect(free.usage_forecast.value).toBe(free.usage_forecast.usage.nextCrossing?.at);
  });

  test("bad plans are refused with a sentence and change nothing", async () => {
    const t = await newBackend();
    const { admin, operator } = await teamOfThree(t);
    expect(
      await rejectionCode(
        admin.client.mutation(api.usage.usage.setPlan, {
          plan: "custom",
          customLimits: { ...PLAN_CATALOG.free.limits, dataEgress: -1 },
        }),
      ),
    ).toBe("VALIDATION_ERROR");
    expect(await rejectionCode(admin.client.mutation(api.usage.usage.setPlan, { plan: "custom" }))).toBe(
      "VALIDATION_ERROR",
    );
    expect(
      await rejectionCode(
        admin.client.mutation(api.usage.usage.setPlan, {
          plan: "free",
          customLimits: PLAN_CATALOG.free.limits,
        }),
      ),
    ).toBe("VALIDATION_ERROR");
    expect(
      await rejectionCode(operator.client.mutation(api.usage.usage.setPlan, { plan: "professional" })),
    ).toBe("UNAUTHORIZED");
    expect(await t.run(async (ctx) => ctx.db.query("usagePlan").collect())).toEqual([]);
  });

  test("custom limits apply to every metric", async () => {
    const t = await newBackend();
    const { admin, viewer } = await teamOfThree(t);
    await ingest(t, [call(NOW - 1000, "tasks:list"), call(NOW - 900, "tasks:list")]);
    await admin.client.mutation(api.usage.usage.setPlan, {
      plan: "custom",
      customLimits: { ...PLAN_CATALOG.professional.limits, functionCalls: 2 },
    });
    expect(
      metricOf(await viewer.client.query(api.usage.usage.summary, { now: NOW }), "functionCalls").state,
    ).toBe("Exceeded");
  });

  test("the retention sweep drops usage days older than 400 days, and function months once wholly older", async () => {
    const t = await newBackend();
    const old = NOW - 401 * DAY;
    const recent = NOW - 399 * DAY;
    const olderMonth = NOW - 440 * DAY;
    await t.run(async (ctx) => {
      await ingestEvents(ctx, { digest: "older", events: [call(olderMonth, "tasks:get")] }, olderMonth);
      await ingestEvents(ctx, { digest: "old", events: [call(old, "tasks:list")] }, old);
      await ingestEvents(ctx, { digest: "recent", events: [call(recent, "tasks:list")] }, recent);
    });
    await t.mutation(internal.metrics.retention.sweep, { now: NOW });
    const days = await t.run(async (ctx) => ctx.db.query("usageDaily").collect());
    const functionMonths = await t.run(async (ctx) => ctx.db.query("usageFunctionMonthly").collect());
    expect(days.map((row) => row.day)).toEqual([new Date(recent).toISOString().slice(0, 10)]);
    // tasks:get's month ended more than 400 days ago; tasks:list's month still has a kept day.
    expect(new Set(functionMonths.map((row) => row.functionPath))).toEqual(new Set(["tasks:list"]));
  });

  test("Convex's figures: with no connected deployment the page is told so and a refresh is refused", async () => {
    const t = await newBackend();
    const { viewer, operator } = await teamOfThree(t);
    expect(await viewer.client.query(api.usage.usage.convexFigures, { now: NOW })).toEqual({
      connected: null,
      figures: null,
    });
    await expect(operator.client.mutation(api.usage.usage.refreshConvexFigures, {})).rejects.toThrow(
      /No deployment is connected/,
    );
  });

  test("Convex's figures: a refused read is kept as a sentence; an answer is set beside ours", async () => {
    const t = await newBackend();
    const { viewer } = await teamOfThree(t);
    await storeConnection(t, "https://tall-sheep-123.convex.cloud", "prod:tall-sheep-123|0123456789abcdef");
    const sentKeys: string[] = [];
    let answer: Response = new Response(
      JSON.stringify({ code: "BadAdminKey", message: "The key was refused." }),
      {
        status: 401,
      },
    );
    vi.stubGlobal("fetch", (async (_input: RequestInfo | URL, init?: RequestInit) => {
      sentKeys.push(new Headers(init?.headers).get("authorization") ?? "");
      return answer.clone();
    }) as typeof fetch);

    await t.action(internal.usage.convexFigures.fetch, {});
    const failed = await viewer.client.query(api.usage.usage.convexFigures, { now: NOW });
    expect(failed.figures).toMatchObject({ state: "failed", rows: [] });
    expect(failed.figures?.problem).toEqual(expect.any(String));
    expect(JSON.stringify(failed)).not.toContain("0123456789abcdef");

    await ingest(t, [call(NOW - 1000, "tasks:list"), call(NOW - 900, "tasks:list")]);
    answer = new Response(
      JSON.stringify({
        metrics: { functionCalls: { unit: "calls", usage: { current_day: 3, current_month: 5 } } },
        seedStatus: "complete",
      }),
      { status: 200, headers: { "content-type": "application/json" } },
    );
    await t.action(internal.usage.convexFigures.fetch, {});
    const answered = await viewer.client.query(api.usage.usage.convexFigures, { now: NOW });
    expect(answered.figures?.rows).toEqual([
      { metric: "functionCalls", ours: 2, convexMonth: 5, convexDay: 3, difference: -3 },
    ]);
    expect(sentKeys.every((header) => header.startsWith("Convex "))).toBe(true);
  });

  test("an hour of demo history meters calls, compute, I/O, egress, search and storage", async () => {
    const t = await newBackend();
    const { viewer } = await teamOfThree(t);
    const to = Date.UTC(2026, 10, 22, 12, 0);
    for (let from = to - 3_600_000; from < to; from += 600_000) {
      await t.mutation(internal.metrics.demo.seedSlice, { from, to: from + 600_000 });
    }
    const summary = await viewer.client.query(api.usage.usage.summary, { now: to });
    for (const metric of ["functionCalls", "actionCompute", "databaseIo", "dataEgress", "searchQueries"]) {
      expect({ metric, positive: (metricOf(summary, metric).value ?? 0) > 0 }).toEqual({
        metric,
        positive: true,
      });
    }
    // Tables and indexes of the demo app: about 0.44 GB, Approaching on the default Free plan.
    expect(metricOf(summary, "databaseStorage")).toMatchObject({ state: "Approaching" });
    expect(summary.deployments).toEqual(["demo-app-prod"]);
  });
});
