/**
 * Benchmark of page loads (not a timed test). Run: npm run bench:pages
 * Every page of the console in Chromium, at 1440 and 390 px, cold (a fresh browser profile with
 * only the signed-in person's localStorage copied into it: the session and the default deployment
 * the Overview last showed; empty HTTP cache, new WebSocket) and then warm (the same page loaded
 * again in that profile), BENCH_PAGES_RUNS times (default 3, a fresh profile each; every figure
 * is the page's median over them). BENCH_PAGES=overview,usage measures only those pages. Times
 * come from the page's own clock (performance.now(), 0 at navigation start), recorded by a script
 * that runs before the app's:
 *   first_data_ms   the first moment, after a query result has arrived, that <main> shows its
 *                   heading and no loading skeleton
 *   script_ms       the app's JavaScript downloaded (the last script's responseEnd)
 *   ws_open_ms      the WebSocket to the backend open
 *   first_result_ms the first query result on that socket (a Transition that updates a query)
 *   last_result_ms  the last query result before first data: close to first_data_ms, the page
 *                   waited on the backend; far before it, on rendering
 *   slowest_query_ms the longest from a query's subscription to its first result, before first
 *                   data (its function is printed beside it)
 *   round_trips     the longest chain of queries each sent only after the one before it had
 *                   answered (1: no query waited for another)
 *   resubscribed    subscriptions dropped before first data (run by the server for nothing)
 * It writes `page_<page>_<width>_<cold|warm>_<measure>=` lines, the first run's queries with their
 * round trip and sent-answered times (`_queries=`), each measure's median over the pages and the
 * worst page's cold median (`pages_cold_first_data_ms_max`), then each query's time on the server
 * alone (`server_<function>_ms=`), into .local/bench/pages.txt.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { jsonToConvex, type JSONValue, type Value } from "convex/values";
import { test } from "vitest";
import { generateTraffic } from "../convex/metrics/model/demoTraffic";
import { postLogStreamBatch, signUpFirstAdmin, startStack } from "../tests/e2e/harness";

const ROOT = resolve(import.meta.dirname, "..");
const PAGES: Record<string, string> = {
  overview: "/",
  slow_queries: "/slow-queries",
  errors: "/errors",
  usage: "/usage",
  runbooks: "/runbooks",
  backups: "/backups",
  imports: "/imports",
  tasks: "/tasks",
  alerts: "/alerts",
  audit: "/audit",
  settings: "/settings",
  users: "/users",
  logs: "/logs",
  deploys: "/deploys",
  function: "/functions/bench-prod/tasks%3Alist",
};
/** Each page is opened this many times (a fresh profile each), and its median is printed. */
const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 3);
const ONLY = process.env.BENCH_PAGES ? new Set(process.env.BENCH_PAGES.split(",")) : null;
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];
const MEASURES = [
  "first_data_ms",
  "script_ms",
  "ws_open_ms",
  "first_result_ms",
  "last_result_ms",
  "slowest_query_ms",
  "round_trips",
  "resubscribed",
] as const;

/** Runs in the page before the app: records the moments above on window.__pageTiming. */
function timingProbe() {
  const timing: Record<string, number> = {};
  (window as unknown as { __pageTiming: Record<string, number> }).__pageTiming = timing;
  const queries = new Map<
    number,
    { udfPath: string; args: unknown; sentAt: number; resultAt?: number; wave?: number }
  >();
  const removed = new Set<number>();
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("open", () => (timing.ws_open_ms ??= performance.now()));
      this.addEventListener("message", (event: MessageEvent) => {
        if (timing.first_data_ms !== undefined || typeof event.data !== "string") return;
        const message = JSON.parse(event.data) as {
          type: string;
          modifications?: { type: string; queryId: number }[];
        };
        if (message.type !== "Transition") return;
        for (const modification of message.modifications ?? []) {
          if (modification.type !== "QueryUpdated" && modification.type !== "QueryFailed") continue;
          const query = queries.get(modification.queryId);
          if (query) query.resultAt ??= performance.now();
          timing.first_result_ms ??= performance.now();
          timing.last_result_ms = performance.now();
        }
      });
    }
    override send(data: Parameters<WebSocket["send"]>[0]) {
      if (typeof data === "string" && data.includes('"ModifyQuerySet"')) {
        const message = JSON.parse(data) as {
          modifications: { type: string; queryId: number; udfPath: string; args?: unknown[] }[];
        };
        for (const modification of message.modifications) {
          if (modification.type === "Remove" && timing.first_data_ms === undefined) {
            removed.add(modification.queryId);
          }
          if (modification.type !== "Add") continue;
          queries.set(modification.queryId, {
            udfPath: modification.udfPath,
            args: modification.args?.[0],
            sentAt: performance.now(),
          });
        }
      }
      super.send(data);
    }
  };
  const check = () => {
    if (timing.first_data_ms !== undefined || timing.first_result_ms === undefined) return;
    const main = document.querySelector("main");
    if (!main?.querySelector("h1")) return;
    if (main.querySelector('.skeleton, [aria-label^="Loading"], [aria-busy="true"]')) return;
    timing.first_data_ms = performance.now();
    let slowest: { udfPath: string; ms: number } | null = null;
    for (const query of queries.values()) {
      if (query.resultAt === undefined) continue;
      const ms = query.resultAt - query.sentAt;
      if (slowest === null || ms > slowest.ms) slowest = { udfPath: query.udfPath, ms };
    }
    timing.slowest_query_ms = slowest?.ms ?? NaN;
    (window as unknown as { __slowestQuery: string }).__slowestQuery = slowest?.udfPath ?? "none";
    // Which round trip each query went out in: one sent after another's answer arrived waited for
    // it (a waterfall), so it is a round trip later than the latest answer before it.
    const answered = [...queries.values()]
      .filter((query) => query.resultAt !== undefined)
      .sort((a, b) => a.sentAt - b.sentAt);
    for (const query of answered) {
      const before = answered.filter((other) => other.resultAt! <= query.sentAt);
      query.wave = 1 + Math.max(0, ...before.map((other) => other.wave!));
    }
    timing.round_trips = Math.max(0, ...answered.map((query) => query.wave!));
    // Subscriptions dropped before the page showed data: a component mounted twice, or args that
    // changed while the page opened; the server ran those queries for nothing.
    timing.resubscribed = removed.size;
    (window as unknown as { __queries: unknown }).__queries = answered.map((query) => ({
      udfPath: query.udfPath,
      args: query.args,
      wave: query.wave,
      sentMs: Math.round(query.sentAt),
      resultMs: Math.round(query.resultAt!),
    }));
    const scripts = performance
      .getEntriesByType("resource")
      .filter((entry) => (entry as PerformanceResourceTiming).initiatorType === "script");
    timing.script_ms = Math.max(
      0,
      ...scripts.map((entry) => (entry as PerformanceResourceTiming).responseEnd),
    );
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
}

type AnsweredQuery = { udfPath: string; args: JSONValue; wave: number; sentMs: number; resultMs: number };

/**
 * The server's share: every query a page ran, run again over HTTP with the same session and args
 * (median of 3), slowest variant per function. Milliseconds from request to answer, on a backend
 * that is otherwise idle.
 */
async function serverTimes(url: string, session: [string, string][], queries: AnsweredQuery[]) {
  const token = session.find(([key]) => key.startsWith("__convexAuthJWT"))?.[1];
  if (token === undefined) throw new Error("No session token to time queries with");
  const client = new ConvexHttpClient(url);
  client.setAuth(token);
  const slowest = new Map<string, number>();
  for (const query of queries) {
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await client.query(
        makeFunctionReference<"query">(query.udfPath),
        jsonToConvex(query.args ?? {}) as Record<string, Value>,
      );
      times.push(performance.now() - started);
    }
    slowest.set(query.udfPath, Math.max(slowest.get(query.udfPath) ?? 0, median(times)));
  }
  return [...slowest]
    .sort(([, a], [, b]) => b - a)
    .map(([udfPath, ms]) => `server_${udfPath.replace(/[^A-Za-z0-9]+/g, "_")}_ms=${Math.round(ms)}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

test("pages cold and warm", { timeout: 900_000 }, async () => {
  const stack = await startStack();
  const lines: string[] = [];
  try {
    const admin = await signUpFirstAdmin(stack);
    const now = Date.now();
    const deployment = {
      deployment_name: "bench-prod",
      deployment_type: "prod",
      project_name: "bench",
      project_slug: "bench",
    };
    await postLogStreamBatch(
      stack,
      generateTraffic({ from: now - 4 * 60_000, to: now - 1000, perMinute: 8, seed: 3, deployment }).slice(
        0,
        128,
      ),
    );
    // A returning operator: the Overview has shown the deployment that streams here.
    await admin.goto(`${stack.appUrl}/`);
    await admin.getByRole("combobox", { name: "Deployment" }).filter({ hasText: "bench-prod" }).waitFor();
    const session = await admin.evaluate(() => Object.entries(localStorage));
    const perPage = new Map<string, number[]>();
    const seen = new Map<string, AnsweredQuery>();
    for (let round = 0; round < RUNS; round++) {
      for (const size of WIDTHS) {
        for (const [name, path] of Object.entries(PAGES).filter(
          ([page]) => ONLY === null || ONLY.has(page),
        )) {
          const browser = await stack.newBrowser();
          await browser.addInitScript((entries: [string, string][]) => {
            if (sessionStorage.getItem("bench-session") === null) {
              for (const [key, value] of entries) localStorage.setItem(key, value);
              sessionStorage.setItem("bench-session", "1");
            }
          }, session);
          await browser.addInitScript(timingProbe);
          const page = await browser.newPage();
          await page.setViewportSize(size);
          for (const run of ["cold", "warm"]) {
            await page.goto(`${stack.appUrl}${path}`);
            await page.waitForFunction(
              () =>
                (window as unknown as { __pageTiming: { first_data_ms?: number } }).__pageTiming
                  .first_data_ms,
              null,
              { timeout: 60_000 },
            );
            const timing = await page.evaluate(
              () => (window as unknown as { __pageTiming: Record<string, number> }).__pageTiming,
            );
            const answered = await page.evaluate(
              () => (window as unknown as { __queries: AnsweredQuery[] }).__queries,
            );
            if (round === 0) {
              const slowestQuery = await page.evaluate(
                () => (window as unknown as { __slowestQuery: string }).__slowestQuery,
              );
              lines.push(`page_${name}_${size.width}_${run}_slowest_query=${slowestQuery}`);
              lines.push(
                `page_${name}_${size.width}_${run}_queries=${answered
                  .map((query) => `${query.udfPath}#${query.wave}@${query.sentMs}-${query.resultMs}`)
                  .join(",")}`,
              );
            }
            for (const query of answered) {
              const key = `${query.udfPath}\n${JSON.stringify(query.args)}`;
              if (!seen.has(key)) seen.set(key, query);
            }
            for (const measure of MEASURES) {
              const key = `page_${name}_${size.width}_${run}_${measure}`;
              perPage.set(key, [...(perPage.get(key) ?? []), timing[measure] ?? NaN]);
            }
          }
          await browser.close();
        }
      }
    }
    // Each page's figure is its median over the runs; the summary lines take the median (and the
    // worst) of those over the pages.
    const totals = new Map<string, number[]>();
    for (const [key, values] of perPage) {
      lines.push(`${key}=${Math.round(median(values))}`);
      const [, width, run, measure] = /^page_.+_(\d+)_(cold|warm)_(.+)$/.exec(key)!;
      const total = `pages_${width}_${run}_${measure}_median`;
      totals.set(total, [...(totals.get(total) ?? []), median(values)]);
    }
    for (const [key, values] of totals) lines.push(`${key}=${Math.round(median(values))}`);
    const cold = [...totals].filter(([key]) => key.includes("_cold_first_data_ms"));
    lines.push(
      `pages_cold_first_data_ms_max=${Math.round(Math.max(...cold.flatMap(([, values]) => values)))}`,
    );
    lines.push(...(await serverTimes(stack.backend.url, session, [...seen.values()])));
  } finally {
    await stack.stop();
  }
  mkdirSync(join(ROOT, ".local/bench"), { recursive: true });
  writeFileSync(join(ROOT, ".local/bench/pages.txt"), `${lines.join("\n")}\n`);
});
