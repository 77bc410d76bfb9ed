/**
 * The Logs page's search over a day of stored events: for each of the seeds' four queries and a
 * text search, the time and documents read per result page, at a tenth of the events and at all of
 * them (the same day, the second stage adds the other nine tenths), so the two show whether a
 * page's reads grow with what is stored. Then the webhook-to-tail time on the server: a signed
 * batch POSTed to /log-stream until the tail query returns it (the browser's push and render are
 * measured by tests/e2e/logs.e2e.ts).
 * Figures come from the local backend's engine (convex-test with sorted indexes) and its
 * transaction metrics; times are this machine's, documents read are the engine's own count. Rows
 * are made by the ingest's own mapping (logRowOf) and inserted thousands per transaction:
 * pushing a million events through the webhook 128 at a time would take hours here.
 * `npm run bench:logs`; BENCH_LOG_EVENTS=100000 for a quicker look.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { makeFunctionReference, queryGeneric } from "convex/server";
import { v } from "convex/values";
import { test } from "vitest";
import { api } from "../convex/_generated/api";
import { ensureAuthEnv, modules, signUp, type Backend } from "../convex/test.helpers";
import { loadPatchedConvexTest } from "../tools/local-backend/convexTestAdapter";
import schema from "../convex/schema";
import * as logs from "../convex/logs/logs";
import { logRowOf, type LogInput } from "../convex/logs/model/rows";
import { formatSlowQueryLine } from "../convex/lib/slowQuery";
import { signBody } from "../convex/metrics/model/logStream";
import { seededRandom } from "../convex/lib/seededRandom";

const EVENTS = Number(process.env.BENCH_LOG_EVENTS ?? 1_000_000);
const PAGES = Number(process.env.BENCH_LOG_PAGES ?? 5);
const END = Date.UTC(2026, 11, 3, 12, 0);
const DAY_MS = 24 * 3_600_000;
const FUNCTIONS = Array.from({ length: 300 }, (_, i) => (i === 0 ? "tasks:list" : `module${i % 30}:fn${i}`));
const DEPLOYMENTS = ["bench-prod", "bench-staging", "bench-dev"];
const INSERT_CHUNK = 5000;
const LATENCY_SAMPLES = 20;
const SECRET = "0123456789abcdef0123456789abcdef";

type Handler = (ctx: unknown, args: unknown) => Promise<unknown>;
const searchHandler = (logs.search as unknown as { _handler: Handler })._handler;

const probeModule = {
  measure: queryGeneric({
    args: { args: v.any() },
    handler: async (ctx, { args }) => {
      const page = (await searchHandler(ctx, args)) as {
        cursor: unknown;
        rows: unknown[];
        budgetHit: boolean;
      };
      const metrics = await ctx.meta.getTransactionMetrics();
      return {
        documentsRead: metrics.documentsRead.used,
        cursor: page.cursor,
        rows: page.rows.length,
        budgetHit: page.budgetHit,
      };
    },
  }),
};
const measure = makeFunctionReference<
  "query",
  { args: unknown },
  { documentsRead: number; cursor: unknown; rows: number; budgetHit: boolean }
>("benchProbe:measure");

/** Event `index`'s own random numbers, so each stage stores the same events. */
function randomFor(index: number) {
  return seededRandom((index * 0x9e3779b9) >>> 0);
}

/**
 * A day of traffic over three deployments: 70% executions (2% failing), 30% console lines, a
 * share of them slow-query warnings.
 */
function eventAt(index: number): LogInput {
  const random = randomFor(index);
  const ts = END - DAY_MS + Math.floor((index / EVENTS) * DAY_MS);
  const functionPath = FUNCTIONS[Math.floor(random() ** 2 * FUNCTIONS.length)]!;
  const deployment = DEPLOYMENTS[random() < 0.6 ? 0 : random() < 0.6 ? 1 : 2]!;
  const requestId = `r-${index}`;
  if (random() < 0.7) {
    const failed = random() < 0.02;
    return {
      kind: "execution",
      record: {
        deployment,
        ts,
        requestId,
        functionPath,
        functionType: "query",
        cached: random() < 0.3,
        status: failed ? "failure" : "success",
        durationMs: Math.round(random() * 400),
        errorCode: failed ? "NOT_FOUND" : null,
        errorMessage: failed ? `Uncaught Error: Task ${Math.floor(random() * 1e6)} not found` : null,
        readDocuments: Math.floor(random() * 50),
        writeDocuments: 0,
      },
    };
  }
  const slow = random() < 0.1;
  const dbCalls = Math.floor(random() * 80);
  return {
    kind: "console",
    record: {
      deployment,
      ts,
      requestId,
      functionPath,
      level: slow ? "WARN" : random() < 0.05 ? "ERROR" : "INFO",
      message: slow
        ? formatSlowQueryLine("tasks", {
            correlationId: `${ts}-${index.toString(16).slice(-4).padStart(4, "0")}`,
            functionName: functionPath.replace(":", "."),
            durationMs: 120 + random() * 300,
            dbCalls,
            docsScanned: Math.floor(random() * 2000),
          })
        : `loaded ${Math.floor(random() * 100)} items for user ${Math.floor(random() * 1e4)}`,
      slowQuery: slow ? { correlationId: `${ts}-x`, durationMs: 200, dbCalls, docsScanned: 100 } : null,
    },
  };
}

const QUERIES = [
  "level:error timestamp:>-1h",
  'message:"Slow query detected"',
  'function:"tasks.list" level:error',
  "dbCalls:>50",
  "not found",
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

async function measureQueries(
  viewer: Awaited<ReturnType<typeof signUp>>["client"],
  stored: number,
): Promise<string[]> {
  const lines: string[] = [];
  for (const query of QUERIES) {
    // Untimed first page: the engine builds an index on its first use, which Convex has ready.
    await viewer.query(measure, { args: { query, now: END, cursor: null } });
    const times: number[] = [];
    const reads: number[] = [];
    let cursor: unknown = null;
    let rows = 0;
    let budgetHits = 0;
    for (let pageIndex = 0; pageIndex < PAGES; pageIndex++) {
      const started = performance.now();
      const page = await viewer.query(measure, { args: { query, now: END, cursor } });
      times.push(performance.now() - started);
      reads.push(page.documentsRead);
      rows += page.rows;
      if (page.budgetHit) budgetHits++;
      if (page.cursor === null) break;
      cursor = page.cursor;
    }
    lines.push(
      `stored=${stored} query=${JSON.stringify(query)} pages=${times.length} rows=${rows} budget_hits=${budgetHits} ` +
        `ms_p50=${percentile(times, 0.5).toFixed(0)} ms_p95=${percentile(times, 0.95).toFixed(0)} ` +
        `docs_read_p50=${percentile(reads, 0.5)} docs_read_max=${Math.max(...reads)}`,
    );
  }
  return lines;
}

/** A signed batch of one console line through POST /log-stream until the tail query returns it. */
async function webhookToTail(
  t: Backend,
  viewer: Awaited<ReturnType<typeof signUp>>["client"],
  stored: number,
) {
  const query = 'message:"bench marker"';
  const samples: number[] = [];
  for (let sample = 0; sample < LATENCY_SAMPLES; sample++) {
    const { next } = await viewer.query(api.logs.logs.tail, { query, now: Date.now() });
    const marker = `bench marker ${stored} ${sample}`;
    const body = JSON.stringify([
      {
        topic: "console",
        timestamp: Date.now(),
        convex: {
          deployment_name: "bench-prod",
          deployment_type: "prod",
          project_name: "app",
          project_slug: "app",
        },
        function: { path: "tasks:list", type: "query", request_id: `marker-${stored}-${sample}` },
        log_level: "INFO",
        message: marker,
        is_truncated: false,
      },
    ]);
    const bytes = new TextEncoder().encode(body);
    const started = performance.now();
    const response = await t.fetch("/log-stream", {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-signature": await signBody(SECRET, bytes) },
      body,
    });
    if (!response.ok) throw new Error(`POST /log-stream answered ${response.status}`);
    for (;;) {
      const page = await viewer.query(api.logs.logs.tail, { query, now: Date.now(), after: next });
      if (page.rows.some((row) => row.message === marker)) break;
      if (performance.now() - started > 10_000) throw new Error(`${marker} never reached the tail`);
    }
    samples.push(performance.now() - started);
  }
  return (
    `stored=${stored} webhook_to_tail_server_ms_p50=${percentile(samples, 0.5).toFixed(0)} ` +
    `webhook_to_tail_server_ms_p95=${percentile(samples, 0.95).toFixed(0)} samples=${samples.length}`
  );
}

test("log search pages stay bounded over a day of stored events", { timeout: 3_600_000 }, async () => {
  await ensureAuthEnv();
  const { convexTest } = await loadPatchedConvexTest();
  const t = convexTest(schema, {
    ...modules,
    "./benchProbe.ts": async () => probeModule,
  }) as unknown as Backend;
  const viewer = (await signUp(t, "bench@example.com")).client;
  await viewer.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
  // First every tenth event of the day, then the rest: the same day at a tenth and at full volume.
  const stages = [
    Array.from({ length: Math.ceil(EVENTS / 10) }, (_, i) => i * 10),
    Array.from({ length: EVENTS }, (_, i) => i).filter((i) => i % 10 !== 0),
  ];
  const lines = [
    `events=${EVENTS} functions=${FUNCTIONS.length} deployments=${DEPLOYMENTS.length} pages=${PAGES}`,
  ];
  let stored = 0;
  for (const indices of stages) {
    const loadStarted = Date.now();
    for (let start = 0; start < indices.length; start += INSERT_CHUNK) {
      const rows = indices.slice(start, start + INSERT_CHUNK).map((index) => logRowOf(eventAt(index)));
      await t.run(async (ctx) => {
        for (const row of rows) await ctx.db.insert("logEvents", row);
      });
    }
    stored += indices.length;
    lines.push(`stored=${stored} seed_seconds=${((Date.now() - loadStarted) / 1000).toFixed(0)}`);
    lines.push(...(await measureQueries(viewer, stored)));
    lines.push(await webhookToTail(t, viewer, stored));
    console.log(lines.join("\n"));
  }
  mkdirSync(".local/bench", { recursive: true });
  writeFileSync(".local/bench/logs.txt", `${lines.join("\n")}\n`);
});
