/**
 * Documents read by each dashboard query after ingesting 1k, 10k and 100k log-stream events through
 * the real ingest function, all spread over the same hour (BENCH_SPAN_HOURS). Reads must stay flat as events grow,
 * the Usage page's month-to-date queries included.
 * Figures come from convex-test's transaction metrics (ctx.meta.getTransactionMetrics), not timings.
 * Run with `npm run bench:dashboard-reads`; BENCH_VOLUMES=1000,10000 for a quicker look.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { makeFunctionReference, mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";
import { test } from "vitest";
import { api, internal } from "../convex/_generated/api";
import { ensureAuthEnv, modules, signUp, type Backend } from "../convex/test.helpers";
import { loadPatchedConvexTest } from "../tools/local-backend/convexTestAdapter";
import schema from "../convex/schema";
import * as dashboard from "../convex/metrics/metrics";
import * as usage from "../convex/usage/usage";
import { ingestEvents } from "../convex/metrics/ingest";
import { percentile, mergeHistograms } from "../convex/metrics/model/histogram";
import type { RawLogEvent } from "../convex/lib/logEvent";
import { HOUR_MS } from "../convex/metrics/model/timeBuckets";

const VOLUMES = (process.env.BENCH_VOLUMES ?? "1000,10000,100000").split(",").map(Number);
const SPAN_MS = Number(process.env.BENCH_SPAN_HOURS ?? 1) * HOUR_MS;
const END = Date.UTC(2026, 10, 22, 12, 0);
const BATCH = 128;
const DELIVERY_INTERVAL_MS = 10_000;
const FUNCTIONS = Array.from({ length: 24 }, (_, index) => `module${index % 6}:fn${index}`);

type Handler = (ctx: unknown, args: unknown) => Promise<unknown>;
const handlerOf = (fn: unknown) => (fn as { _handler: Handler })._handler;
const dashboardQueries: Record<string, Handler> = {
  ...Object.fromEntries(Object.entries(dashboard).map(([name, fn]) => [name, handlerOf(fn)])),
  // The Usage page's queries read daily rollups: days × deployments × functions, never events.
  "usage.summary": handlerOf(usage.summary),
  "usage.headline": handlerOf(usage.headline),
  "usage.topFunctions": handlerOf(usage.topFunctions),
};

/** Bench-only functions: run a real handler, then report the transaction's own metrics. */
const probeModule = {
  measure: queryGeneric({
    args: { name: v.string(), args: v.any() },
    handler: async (ctx, { name, args }) => {
      await dashboardQueries[name]!(ctx, args);
      const metrics = await ctx.meta.getTransactionMetrics();
      return metrics.documentsRead.used;
    },
  }),
  ingest: mutationGeneric({
    args: { digest: v.string(), events: v.array(v.any()), receivedAt: v.number() },
    handler: async (ctx, { digest, events, receivedAt }) => {
      await ingestEvents(ctx as never, { digest, events: events as RawLogEvent[] }, receivedAt);
      const metrics = await ctx.meta.getTransactionMetrics();
      return metrics.documentsWritten.used;
    },
  }),
};

const measure = makeFunctionReference<"query", { name: string; args: unknown }, number>("benchProbe:measure");
const ingest = makeFunctionReference<
  "mutation",
  { digest: string; events: unknown[]; receivedAt: number },
  number
>("benchProbe:ingest");

function seededRandom(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function generateEvents(count: number): { events: RawLogEvent[]; durations: number[] } {
  const random = seededRandom(count);
  const convex = {
    deployment_name: "bench-prod",
    deployment_type: "prod",
    project_name: "app",
    project_slug: "app",
  };
  const events: RawLogEvent[] = [];
  const durations: number[] = [];
  for (let index = 0; index < count; index++) {
    const path = FUNCTIONS[Math.floor(random() ** 2 * FUNCTIONS.length)]!;
    const duration =
      Math.round(
        Math.exp(2.5 + 1.2 * Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random())) *
          100,
      ) / 100;
    const failed = random() < 0.02;
    durations.push(duration);
    events.push({
      topic: "function_execution",
      timestamp: END - SPAN_MS + Math.floor((index / count) * SPAN_MS),
      convex,
      function: {
        path,
        type: path.endsWith("0") ? "mutation" : "query",
        cached: random() < 0.3,
        request_id: `r${count}-${index}`,
      },
      execution_time_ms: duration,
      status: failed ? "failure" : "success",
      error_message: failed ? `Uncaught Error: Task ${Math.floor(random() * 1e6)} not found` : null,
      usage: {
        database_read_documents: Math.floor(random() * 50),
        database_io_read_bytes: Math.floor(random() * 50_000),
      },
    });
  }
  return { events, durations };
}

/** Like Convex's webhook sink: a request every few seconds, at most 128 events each. */
function* deliveries(events: RawLogEvent[]): Generator<RawLogEvent[]> {
  let batch: RawLogEvent[] = [];
  for (const event of events) {
    if (
      batch.length === BATCH ||
      (batch.length > 0 && event.timestamp - batch[0]!.timestamp > DELIVERY_INTERVAL_MS)
    ) {
      yield batch;
      batch = [];
    }
    batch.push(event);
  }
  if (batch.length > 0) yield batch;
}

function exactP95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

test("dashboard reads stay flat as ingested events grow", { timeout: 600_000 }, async () => {
  await ensureAuthEnv();
  // The local backend's convex-test, whose per-table index keeps 100k raw rows from slowing every query.
  const { convexTest } = await loadPatchedConvexTest();
  const lines: string[] = [];
  let writes = 0;
  let ingested = 0;
  let p95ErrorPct = 0;

  for (const volume of VOLUMES) {
    const t = convexTest(schema, {
      ...modules,
      "./benchProbe.ts": async () => probeModule,
    }) as unknown as Backend;
    const viewer = (await signUp(t, "bench@example.com")).client;
    const { events, durations } = generateEvents(volume);
    let batches = 0;
    for (const batch of deliveries(events)) {
      const receivedAt = batch[batch.length - 1]!.timestamp;
      writes += await t.mutation(ingest, { digest: `${volume}-${batches}`, events: batch, receivedAt });
      ingested += batch.length;
      batches += 1;
      if (batches % 20 === 0) await t.mutation(internal.metrics.retention.sweep, { now: receivedAt });
    }

    const range = { deployment: "bench-prod", from: END - HOUR_MS, to: END };
    const someGroup = await t.run(async (ctx) => (await ctx.db.query("errorGroups").first())!._id);
    const dayRange = { deployment: "bench-prod", from: END - 24 * HOUR_MS, to: END };
    const probes: Array<[string, string, unknown]> = [
      ["overview", "overview", { deployment: "bench-prod", now: END }],
      ["functionStats_1h", "functionStats", range],
      ["functionStats_24h", "functionStats", dayRange],
      ["slowCalls_1h", "slowCalls", range],
      ["errorSeries_1h", "errorSeries", range],
      ["errorSeries_24h", "errorSeries", dayRange],
      ["errorGroups_1h", "errorGroups", range],
      ["errorGroups_24h", "errorGroups", dayRange],
      ["errorGroups_24h_by_code", "errorGroups", { ...dayRange, code: "NOT_FOUND" }],
      ["errorGroupCalls_1h", "errorGroupCalls", { ...range, group: someGroup }],
      [
        "requestTimeline",
        "requestTimeline",
        { deployment: "bench-prod", requestId: `r${volume}-${volume - 1}` },
      ],
      ["usage_summary", "usage.summary", { now: END }],
      ["usage_headline", "usage.headline", { now: END }],
      ["usage_topFunctions", "usage.topFunctions", { now: END }],
    ];
    for (const [label, name, args] of probes) {
      const documentsRead = await viewer.query(measure, { name, args });
      lines.push(`events=${volume} query=${label} documents_read=${documentsRead}`);
    }

    const hours = await viewer.query(api.metrics.metrics.errorSeries, dayRange);
    expectCalls(
      hours.points.reduce((total, point) => total + point.calls, 0),
      volume,
    );
    const histogram = await t.run(async (ctx) => {
      const rows = await ctx.db
        .query("rollups")
        .withIndex("by_scope", (q) =>
          q.eq("deployment", "bench-prod").eq("granularity", "hour").eq("functionPath", "*"),
        )
        .collect();
      return mergeHistograms(...rows.map((row) => row.histogram));
    });
    const exact = exactP95(durations);
    p95ErrorPct = Math.max(p95ErrorPct, (Math.abs(percentile(histogram, 0.95)! - exact) / exact) * 100);
  }

  lines.push(`writes_per_event=${(writes / ingested).toFixed(2)}`);
  lines.push(`p95_error_pct=${p95ErrorPct.toFixed(2)}`);
  mkdirSync(".local/bench", { recursive: true });
  writeFileSync(".local/bench/dashboard-reads.txt", `${lines.join("\n")}\n`);
});

function expectCalls(counted: number, volume: number): void {
  if (counted !== volume) throw new Error(`rollups counted ${counted} calls for ${volume} events`);
}
