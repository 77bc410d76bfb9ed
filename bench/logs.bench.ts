/**
 * The Logs page's search over a day of stored events: for each of the seeds' four queries and a
 * text search, the time and documents read per result page (first page and the pages after it).
 * Figures come from the local backend's convex-test engine (its per-index tables) and its
 * transaction metrics; times are this machine's, documents read are the engine's own count.
 * Rows are stored with the ingest's own mapping (logRowOf), straight into the table, because
 * pushing a million events through the webhook path here would take hours.
 * `npm run bench:logs`; BENCH_LOG_EVENTS=100000 for a quicker look. The webhook-to-tail latency
 * is measured through the local backend and a browser by tests/e2e/logs.e2e.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { makeFunctionReference, queryGeneric } from "convex/server";
import { v } from "convex/values";
import { test } from "vitest";
import { ensureAuthEnv, modules, signUp, type Backend } from "../convex/test.helpers";
import { loadPatchedConvexTest } from "../tools/local-backend/convexTestAdapter";
import schema from "../convex/schema";
import * as logs from "../convex/logs/logs";
import { logRowOf, type LogInput } from "../convex/logs/model/rows";
import { formatSlowQueryLine } from "../convex/lib/slowQuery";

const EVENTS = Number(process.env.BENCH_LOG_EVENTS ?? 1_000_000);
const PAGES = Number(process.env.BENCH_LOG_PAGES ?? 5);
const END = Date.UTC(2026, 11, 3, 12, 0);
const DAY_MS = 24 * 3_600_000;
const FUNCTIONS = Array.from({ length: 300 }, (_, i) => (i === 0 ? "tasks:list" : `module${i % 30}:fn${i}`));
const INSERT_CHUNK = 4000;

type Handler = (ctx: unknown, args: unknown) => Promise<unknown>;
const searchHandler = (logs.search as unknown as { _handler: Handler })._handler;

const probeModule = {
  measure: queryGeneric({
    args: { args: v.any() },
    handler: async (ctx, { args }) => {
      const page = (await searchHandler(ctx, args)) as { cursor: unknown; rows: unknown[]; budgetHit: boolean };
      const metrics = await ctx.meta.getTransactionMetrics();
      return { documentsRead: metrics.documentsRead.used, cursor: page.cursor, rows: page.rows.length, budgetHit: page.budgetHit };
    },
  }),
};
const measure = makeFunctionReference<
  "query",
  { args: unknown },
  { documentsRead: number; cursor: unknown; rows: number; budgetHit: boolean }
>("benchProbe:measure");

function seededRandom(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** A day of traffic: 70% executions (2% failing), 30% console lines, a share of them slow-query warnings. */
function eventAt(index: number, random: () => number): LogInput {
  const ts = END - DAY_MS + Math.floor((index / EVENTS) * DAY_MS);
  const functionPath = FUNCTIONS[Math.floor(random() ** 2 * FUNCTIONS.length)]!;
  const requestId = `r-${index}`;
  if (random() < 0.7) {
    const failed = random() < 0.02;
    return {
      kind: "execution",
      record: {
        deployment: "bench-prod",
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
      deployment: "bench-prod",
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
      slowQuery: slow
        ? { correlationId: `${ts}-x`, durationMs: 200, dbCalls, docsScanned: 100 }
        : null,
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

test("log search pages stay bounded over a day of stored events", { timeout: 3_600_000 }, async () => {
  await ensureAuthEnv();
  const { convexTest } = await loadPatchedConvexTest();
  const t = convexTest(schema, { ...modules, "./benchProbe.ts": async () => probeModule }) as unknown as Backend;
  const viewer = (await signUp(t, "bench@example.com")).client;
  const random = seededRandom(7);
  const loadStarted = Date.now();
  for (let start = 0; start < EVENTS; start += INSERT_CHUNK) {
    const rows = Array.from({ length: Math.min(INSERT_CHUNK, EVENTS - start) }, (_, i) => logRowOf(eventAt(start + i, random)));
    await t.run(async (ctx) => {
      for (const row of rows) await ctx.db.insert("logEvents", row);
    });
  }
  const lines = [`events=${EVENTS} functions=${FUNCTIONS.length} load_seconds=${((Date.now() - loadStarted) / 1000).toFixed(0)}`];
  for (const query of QUERIES) {
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
      `query=${JSON.stringify(query)} pages=${times.length} rows=${rows} budget_hits=${budgetHits} ` +
        `ms_p50=${percentile(times, 0.5).toFixed(0)} ms_p95=${percentile(times, 0.95).toFixed(0)} ` +
        `docs_read_p50=${percentile(reads, 0.5)} docs_read_max=${Math.max(...reads)}`,
    );
  }
  mkdirSync(".local/bench", { recursive: true });
  writeFileSync(".local/bench/logs.txt", `${lines.join("\n")}\n`);
});
