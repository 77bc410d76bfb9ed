/**
 * Documents read by each dashboard query after ingesting 1k, 100k and 1M log-stream events through
 * the real ingest function: 300 functions on each of 3 deployments, spread over a day
 * (BENCH_SPAN_HOURS), delivered as Convex's webhook sink does (≤128 events a request). The
 * per-minute cron that moves the per-range function summaries runs as simulated time passes. Every
 * query must read at most 2,000 documents at every volume, and from the second-largest volume to
 * the largest (10× the events) grow by at most GROWTH_FACTOR: a query that reads events grows 10×.
 * Also the console's own cost per ingested event: documents written, database I/O bytes (read and
 * written) and storage bytes, from the same transaction metrics.
 * Figures come from convex-test's transaction metrics (ctx.meta.getTransactionMetrics), not timings.
 * Run with `npm run bench:dashboard-reads`; BENCH_VOLUMES=10000 BENCH_FUNCTIONS=24 for a quicker look.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { makeFunctionReference, mutationGeneric, queryGeneric } from "convex/server";
import { getDocumentSize, v } from "convex/values";
import { test } from "vitest";
import { api, internal } from "../convex/_generated/api";
import { ensureAuthEnv, modules, signUp, type Backend } from "../convex/test.helpers";
import { loadPatchedConvexTest } from "../tools/local-backend/convexTestAdapter";
import schema from "../convex/schema";
import * as dashboard from "../convex/metrics/metrics";
import * as usage from "../convex/usage/usage";
import * as functionsPage from "../convex/functions/functions";
import { ingestEvents } from "../convex/metrics/ingest";
import { percentile, mergeHistograms } from "../convex/metrics/model/histogram";
import type { RawLogEvent } from "../convex/lib/logEvent";
import { HOUR_MS, MINUTE_MS } from "../convex/metrics/model/timeBuckets";
import { advanceDeploymentWindows } from "../convex/metrics/functionWindows";
import { metricsTables } from "../convex/metrics/tables";

const METRICS_TABLES = Object.keys(metricsTables) as Array<keyof typeof metricsTables>;
/** Rows kept only for the raw retention period; the rest is what the dashboards keep. */
const RAW_TABLES = new Set<string>([
  "executions",
  "consoleLines",
  "slowCalls",
  "seenBatches",
  "slowLinesAwaitingExecution",
]);

const VOLUMES = (process.env.BENCH_VOLUMES ?? "1000,100000,1000000").split(",").map(Number);
const SPAN_MS = Number(process.env.BENCH_SPAN_HOURS ?? 24) * HOUR_MS;
const END = Date.UTC(2026, 10, 22, 12, 0);
const BATCH = 128;
/** Convex's sink flushes a request when it holds 128 events or has waited this long. */
const DELIVERY_INTERVAL_MS = 60_000;
const FUNCTION_COUNT = Number(process.env.BENCH_FUNCTIONS ?? 300);
const FUNCTIONS = Array.from({ length: FUNCTION_COUNT }, (_, index) => `module${index % 30}:fn${index}`);
const DEPLOYMENTS = ["bench-a", "bench-b", "bench-c"];
const MAX_DOCUMENTS_READ = 2000;
/**
 * A bounded query still reads more as a busier day fills in keys it is bounded by (functions that
 * failed in the last hour, error groups); one reading events grows with them, 10× here. Reads under
 * GROWTH_FLOOR documents are not compared (a deploy's 3 to 12 is not a trend).
 */
const GROWTH_FACTOR = 3;
const GROWTH_FLOOR = 100;
/**
 * The per-event cost is measured on this many events, each sink delivery its own transaction and
 * the window cron run every minute, as in production. The rest is seeded through the same ingest
 * in larger batches: each deployment's deliveries over SEED_BATCH_SPAN_MS joined into one batch,
 * and the cron run after each. The rows stored are the same (rollups and window summaries are sums
 * per function and bucket, whatever the batch), with one `seenBatches` row a batch and far fewer
 * per-function upserts, which is what made 1M events take hours.
 */
const COST_SAMPLE_EVENTS = Number(process.env.BENCH_COST_SAMPLE ?? 20_000);
/** Under the ingest's 5-minute replay window, so no joined event is rejected as a replay. */
const SEED_BATCH_SPAN_MS = 3 * MINUTE_MS;
/** A deploy half an hour before the end, on the first deployment, for the Deploys page's verdict. */
const DEPLOY_TS = END - 30 * MINUTE_MS;

type Handler = (ctx: unknown, args: unknown) => Promise<unknown>;
const handlerOf = (fn: unknown) => (fn as { _handler: Handler })._handler;
const advanceHandler = handlerOf(advanceDeploymentWindows);
const dashboardQueries: Record<string, Handler> = {
  ...Object.fromEntries(Object.entries(dashboard).map(([name, fn]) => [name, handlerOf(fn)])),
  // The Usage page's queries read daily rollups: days × deployments × functions, never events.
  "usage.summary": handlerOf(usage.summary),
  "usage.headline": handlerOf(usage.headline),
  "usage.topFunctions": handlerOf(usage.topFunctions),
  // The function page reads one function's rollups; the Deploys page reads stored verdicts.
  "functions.functionPage": handlerOf(functionsPage.functionPage),
  "functions.deploys": handlerOf(functionsPage.deploys),
  "functions.deploy": handlerOf(functionsPage.deploy),
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
      return {
        documentsWritten: metrics.documentsWritten.used,
        bytesRead: metrics.bytesRead.used,
        bytesWritten: metrics.bytesWritten.used,
      };
    },
  }),
  /** Seeding: one batch per deployment in one transaction, each through the same ingest code. */
  ingestMany: mutationGeneric({
    args: {
      deliveries: v.array(v.object({ digest: v.string(), events: v.array(v.any()), receivedAt: v.number() })),
    },
    handler: async (ctx, { deliveries }) => {
      for (const { digest, events, receivedAt } of deliveries) {
        await ingestEvents(ctx as never, { digest, events: events as RawLogEvent[] }, receivedAt);
      }
    },
  }),
  advance: mutationGeneric({
    args: { deployment: v.string(), now: v.number() },
    handler: async (ctx, args) => {
      const caughtUp = await advanceHandler(ctx, args);
      const metrics = await ctx.meta.getTransactionMetrics();
      return {
        caughtUp: caughtUp as boolean,
        documentsWritten: metrics.documentsWritten.used,
        bytesRead: metrics.bytesRead.used,
        bytesWritten: metrics.bytesWritten.used,
      };
    },
  }),
};

const advance = makeFunctionReference<
  "mutation",
  { deployment: string; now: number },
  IngestCost & { caughtUp: boolean }
>("benchProbe:advance");
const measure = makeFunctionReference<"query", { name: string; args: unknown }, number>("benchProbe:measure");
type IngestCost = { documentsWritten: number; bytesRead: number; bytesWritten: number };
const ingestMany = makeFunctionReference<
  "mutation",
  { deliveries: Array<{ digest: string; events: unknown[]; receivedAt: number }> }
>("benchProbe:ingestMany");
const ingest = makeFunctionReference<
  "mutation",
  { digest: string; events: unknown[]; receivedAt: number },
  IngestCost
>("benchProbe:ingest");

function seededRandom(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function generateEvents(count: number): { events: RawLogEvent[]; durations: number[] } {
  const random = seededRandom(count);
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
      convex: {
        deployment_name: DEPLOYMENTS[index % DEPLOYMENTS.length]!,
        deployment_type: "prod",
        project_name: "app",
        project_slug: "app",
      },
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

function deploymentOfEvent(event: RawLogEvent): string {
  return (event.convex as { deployment_name: string }).deployment_name;
}

/** Like Convex's webhook sink, one per deployment: a request per minute at most, 128 events each at most. */
function* deliveries(events: RawLogEvent[]): Generator<RawLogEvent[]> {
  const batches = new Map<string, RawLogEvent[]>();
  for (const event of events) {
    const deployment = deploymentOfEvent(event);
    const batch = batches.get(deployment) ?? [];
    if (
      batch.length === BATCH ||
      (batch.length > 0 && event.timestamp - batch[0]!.timestamp > DELIVERY_INTERVAL_MS)
    ) {
      yield batch;
      batches.set(deployment, [event]);
    } else {
      batch.push(event);
      batches.set(deployment, batch);
    }
  }
  for (const batch of batches.values()) if (batch.length > 0) yield batch;
}

function exactP95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

/** What the per-minute cron does for each deployment, run to the end, as simulated time passes. */
async function advanceWindows(t: Backend, now: number): Promise<IngestCost> {
  const cost = { documentsWritten: 0, bytesRead: 0, bytesWritten: 0 };
  for (const deployment of DEPLOYMENTS) {
    for (;;) {
      const run = await t.mutation(advance, { deployment, now });
      cost.documentsWritten += run.documentsWritten;
      cost.bytesRead += run.bytesRead;
      cost.bytesWritten += run.bytesWritten;
      if (run.caughtUp) break;
    }
  }
  return cost;
}

test("dashboard reads stay bounded at 300 functions × 3 deployments", { timeout: 3_600_000 }, async () => {
  await ensureAuthEnv();
  // The local backend's convex-test, whose per-table index keeps 100k raw rows from slowing every query.
  const { convexTest } = await loadPatchedConvexTest();
  const lines: string[] = [
    `functions=${FUNCTION_COUNT} deployments=${DEPLOYMENTS.length} span_hours=${SPAN_MS / HOUR_MS}`,
  ];
  let p95ErrorPct = 0;
  const over: string[] = [];
  /** Documents read per query label, per volume, in VOLUMES order. */
  const reads = new Map<string, number[]>();
  /** A page-limited query grows up to its page whatever the events: that page is its bound. */
  const PAGE_OF: Record<string, number> = { slowCalls_1h: 500 };
  const writeReport = () => {
    mkdirSync(".local/bench", { recursive: true });
    const table = [...reads].map(
      ([label, counts]) =>
        `query=${label} ` + counts.map((count, index) => `events_${VOLUMES[index]}=${count}`).join(" "),
    );
    writeFileSync(".local/bench/dashboard-reads.txt", `${[...lines, ...table].join("\n")}\n`);
  };

  for (const volume of VOLUMES) {
    const t = convexTest(schema, {
      ...modules,
      "./benchProbe.ts": async () => probeModule,
    }) as unknown as Backend;
    const viewer = (await signUp(t, "bench@example.com")).client;
    const { events, durations } = generateEvents(volume);
    const cost = { documentsWritten: 0, bytesRead: 0, bytesWritten: 0 };
    const add = (more: IngestCost) => {
      cost.documentsWritten += more.documentsWritten;
      cost.bytesRead += more.bytesRead;
      cost.bytesWritten += more.bytesWritten;
    };
    let batches = 0;
    let minute = 0;
    let costEvents = 0;
    // Seeding time per phase: where the minutes go when the bench is slow.
    const phaseMs = { ingest_sampled: 0, ingest_batched: 0, windows_cron: 0, retention_sweep: 0 };
    const timed = async <T>(phase: keyof typeof phaseMs, call: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await call();
      } finally {
        phaseMs[phase] += performance.now() - started;
      }
    };
    /** Each deployment's sink deliveries since the last flush, joined into one ingest batch. */
    const seeding = new Map<string, { digest: string; events: RawLogEvent[]; receivedAt: number }>();
    const flush = async () => {
      const batches = [...seeding.values()];
      seeding.clear();
      if (batches.length === 0) return;
      await timed("ingest_batched", () => t.mutation(ingestMany, { deliveries: batches }));
      const now = Math.max(...batches.map((batch) => batch.receivedAt));
      await timed("windows_cron", () => advanceWindows(t, now));
    };
    const seedingStarted = performance.now();
    for (const batch of deliveries(events)) {
      const receivedAt = batch[batch.length - 1]!.timestamp;
      const digest = `${volume}-${batches}`;
      batches += 1;
      if (costEvents < COST_SAMPLE_EVENTS) {
        add(await timed("ingest_sampled", () => t.mutation(ingest, { digest, events: batch, receivedAt })));
        costEvents += batch.length;
        if (Math.floor(receivedAt / MINUTE_MS) !== minute) {
          minute = Math.floor(receivedAt / MINUTE_MS);
          add(await timed("windows_cron", () => advanceWindows(t, receivedAt)));
        }
      } else {
        const deployment = deploymentOfEvent(batch[0]!);
        const open = seeding.get(deployment);
        if (open !== undefined && receivedAt - open.events[0]!.timestamp > SEED_BATCH_SPAN_MS) await flush();
        const joined = seeding.get(deployment);
        if (joined === undefined) seeding.set(deployment, { digest, events: [...batch], receivedAt });
        else {
          joined.events.push(...batch);
          joined.receivedAt = receivedAt;
        }
      }
      if (batches % 50 === 0) {
        await flush();
        await timed("retention_sweep", () =>
          t.mutation(internal.metrics.retention.sweep, { now: receivedAt }),
        );
      }
    }
    await flush();
    await timed("windows_cron", () => advanceWindows(t, END));
    const seedingSeconds = (performance.now() - seedingStarted) / 1000;
    // The deploy's verdict, as the scheduled start and its chunks would compute it.
    await t.mutation(ingest, {
      digest: `${volume}-deploy`,
      events: [
        {
          topic: "audit_log",
          timestamp: DEPLOY_TS,
          convex: {
            deployment_name: DEPLOYMENTS[0]!,
            deployment_type: "prod",
            project_name: "app",
            project_slug: "app",
          },
          audit_log_action: "push_config",
          audit_log_metadata: "{}",
        },
      ],
      receivedAt: DEPLOY_TS + 1000,
    });
    await t.mutation(internal.functions.functions.startDueVerdicts, { now: END });
    const verdict = await t.run(async (ctx) => (await ctx.db.query("deployVerdicts").first())!._id);
    for (let chunk = 0; chunk < 100; chunk++) {
      await t.mutation(internal.functions.functions.computeVerdict, { verdictId: verdict });
    }
    lines.push(
      `events=${volume} seeding_seconds=${seedingSeconds.toFixed(0)} cost_sample_events=${costEvents} ` +
        Object.entries(phaseMs)
          .map(([phase, ms]) => `${phase}_seconds=${(ms / 1000).toFixed(0)}`)
          .join(" "),
    );

    const deployment = DEPLOYMENTS[0]!;
    const range = { deployment, from: END - HOUR_MS, to: END };
    const someGroup = await t.run(
      async (ctx) =>
        (await ctx.db
          .query("errorGroups")
          .withIndex("by_deployment_last_seen", (q) => q.eq("deployment", deployment))
          .first())!._id,
    );
    const dayRange = { deployment, from: END - 24 * HOUR_MS, to: END };
    const weekRange = { deployment, from: END - 7 * 24 * HOUR_MS, to: END };
    // The busiest function (the generator favours the first paths).
    const functionArgs = { deployment, functionPath: FUNCTIONS[0]!, now: END };
    const probes: Array<[string, string, unknown]> = [
      ["overview", "overview", { deployment, now: END }],
      ["functionStats_1h", "functionStats", range],
      ["functionStats_24h", "functionStats", dayRange],
      ["functionStats_7d", "functionStats", weekRange],
      ["slowCalls_1h", "slowCalls", range],
      ["errorSeries_1h", "errorSeries", range],
      ["errorSeries_24h", "errorSeries", dayRange],
      ["errorGroups_1h", "errorGroups", range],
      ["errorGroups_24h", "errorGroups", dayRange],
      ["errorGroups_24h_by_code", "errorGroups", { ...dayRange, code: "NOT_FOUND" }],
      ["errorGroupCalls_1h", "errorGroupCalls", { ...range, group: someGroup }],
      ["requestTimeline", "requestTimeline", { deployment, requestId: `r${volume}-${volume - 3}` }],
      ["usage_summary", "usage.summary", { now: END }],
      ["usage_headline", "usage.headline", { now: END }],
      ["usage_topFunctions", "usage.topFunctions", { now: END }],
      ["functionPage_1h", "functions.functionPage", { ...functionArgs, range: "1h" }],
      ["functionPage_24h", "functions.functionPage", { ...functionArgs, range: "24h" }],
      ["functionPage_30d", "functions.functionPage", { ...functionArgs, range: "30d" }],
      ["deploys", "functions.deploys", { deployment, now: END }],
      ["deploy_detail", "functions.deploy", { deployment, deployTs: DEPLOY_TS }],
    ];
    for (const [label, name, args] of probes) {
      const documentsRead = await viewer.query(measure, { name, args });
      reads.set(label, [...(reads.get(label) ?? []), documentsRead]);
      if (documentsRead > MAX_DOCUMENTS_READ) over.push(`${label}@${volume}=${documentsRead}`);
    }

    const days = await viewer.query(api.metrics.metrics.errorSeries, weekRange);
    const counted = days.points.reduce((total, point) => total + point.calls, 0);
    const expected = events.filter((event) => deploymentOfEvent(event) === deployment).length;
    if (counted !== expected) throw new Error(`rollups counted ${counted} calls for ${expected} events`);

    const stored = await t.run(async (ctx) => {
      const bytes = { raw: 0, summaries: 0 };
      for (const table of METRICS_TABLES) {
        for (const row of await ctx.db.query(table).collect()) {
          bytes[RAW_TABLES.has(table) ? "raw" : "summaries"] += getDocumentSize(row);
        }
      }
      return bytes;
    });
    const perEvent = (value: number) => (value / volume).toFixed(1);
    const perSampled = (value: number) => (value / costEvents).toFixed(1);
    lines.push(
      `events=${volume} per_event documents_written=${(cost.documentsWritten / costEvents).toFixed(2)} ` +
        `db_io_bytes=${perSampled(cost.bytesRead + cost.bytesWritten)} (read=${perSampled(cost.bytesRead)} written=${perSampled(cost.bytesWritten)}) ` +
        `storage_bytes_raw=${perEvent(stored.raw)} storage_bytes_summaries=${perEvent(stored.summaries)}`,
    );

    const histogram = await t.run(async (ctx) => {
      const rows = await ctx.db
        .query("rollups")
        .withIndex("by_scope", (q) =>
          q.eq("deployment", deployment).eq("granularity", "hour").eq("functionPath", "*"),
        )
        .collect();
      return mergeHistograms(...rows.map((row) => row.histogram));
    });
    const exact = exactP95(durations.filter((_, index) => index % DEPLOYMENTS.length === 0));
    p95ErrorPct = Math.max(p95ErrorPct, (Math.abs(percentile(histogram, 0.95)! - exact) / exact) * 100);
    // Written after each volume, so a long run shows its figures so far.
    writeReport();
  }

  const grew: string[] = [];
  if (VOLUMES.length > 1) {
    for (const [label, counts] of reads) {
      const [before, last] = counts.slice(-2) as [number, number];
      const allowed = Math.max(GROWTH_FACTOR * before, GROWTH_FLOOR, PAGE_OF[label] ?? 0);
      if (last > allowed) grew.push(`${label}:${before}->${last}`);
    }
  }

  lines.push(`p95_error_pct=${p95ErrorPct.toFixed(2)}`);
  lines.push(
    over.length === 0
      ? `all_queries_within=${MAX_DOCUMENTS_READ}`
      : `OVER_${MAX_DOCUMENTS_READ}: ${over.join(" ")}`,
    grew.length === 0
      ? `no_query_grew_over=${GROWTH_FACTOR}x`
      : `GREW_OVER_${GROWTH_FACTOR}x: ${grew.join(" ")}`,
  );
  writeReport();
  if (over.length > 0) throw new Error(`queries over ${MAX_DOCUMENTS_READ} documents: ${over.join(", ")}`);
  if (grew.length > 0)
    throw new Error(`queries that grew over ${GROWTH_FACTOR}× with events: ${grew.join(", ")}`);
});
