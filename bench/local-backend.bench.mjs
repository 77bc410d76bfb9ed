#!/usr/bin/env node
// Benchmark of the offline local backend (not a timed test). Run: npm run bench:local-backend
// Prints `name=value` lines:
//   start_to_ready_ms     fresh store, `npm start`'s demo seeding: from spawning the backend until
//                         a real @convex-dev/auth sign-up has succeeded
//   demo_history_ms       until the whole day of demo history is written
//   ingest_events_per_s   accepted events per second over BENCH_INGEST_SECONDS (default 120) of
//                         signed 128-event log-stream batches offered at BENCH_INGEST_RATE events/s
//                         (default 1600; sent on the clock, not after the previous answer, so a
//                         backend that falls behind shows it in throughput and latency), on top of
//                         that day of history; BENCH_INGEST_RUNS=3 repeats it and adds `_run<N>`
//                         to these names and webhook_p95_ms_spread=<min>..<max>
//   webhook_p50_ms / webhook_p95_ms / webhook_p99_ms   webhook answer times during that load
//   health_p99_ms         GET /api/health (site URL) every 100 ms during that load
//   load_average          the machine's 1-minute load average as each run ended
//   rss_mb_max            the backend's largest resident set size seen
//   started_jobs_journal_entries   scheduled jobs still recorded as started in the store once
//                         the backend stopped after that load (finished jobs should leave none)
//   BENCH_CPU_PROF_DIR=<dir> writes each backend's `node --cpu-prof` profile there
//   update_latency_p50_ms / update_latency_p95_ms   from a mutation's call until its update has
//                         reached all 20 subscribed ConvexClients, over 200 mutations (fixture app)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";

register("../tools/local-backend/ts-hooks.mjs", import.meta.url);
const { generateTraffic } = await import("../convex/metrics/model/demoTraffic.ts");
const { signBody, MAX_EVENTS_PER_BATCH } = await import("../convex/metrics/model/logStream.ts");
const { percentile } = await import("../tools/loadgen/loadgen.ts");
const { Store } = await import("../tools/local-backend/persistence.ts");

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = join(ROOT, "tools/local-backend/main.mjs");
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 20);
const MUTATIONS = Number(process.env.BENCH_MUTATIONS ?? 200);
const INGEST_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 120);
const INGEST_RATE = Number(process.env.BENCH_INGEST_RATE ?? 1600);
const INGEST_RUNS = Number(process.env.BENCH_INGEST_RUNS ?? 1);
const SECRET = "0123456789abcdef0123456789abcdef";
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;
const NODE_FLAGS = CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];

/** Spawns the backend; resolves at its ready line. `onLine` sees every output line. */
function startBackend(args, onLine = () => {}) {
  const child = spawn(process.execPath, [...NODE_FLAGS, MAIN, "--port", "0", "--site-port", "0", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let rest = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`backend did not start: ${out}`));
    }, 60_000);
    child.stdout.on("data", (d) => {
      out += d;
      const lines = (rest + d).split("\n");
      rest = lines.pop();
      for (const line of lines) onLine(line);
      const match = /local-backend ready url=(\S+) site=(\S+) startup_ms=(\d+)/.exec(out);
      if (match && timer) {
        clearTimeout(timer);
        resolve({ child, url: match[1], siteUrl: match[2], startupMs: Number(match[3]) });
      }
    });
    child.once("exit", (code) => reject(new Error(`backend exited (${code}): ${out}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

const fmt = (value) => (value === null ? "none" : value.toFixed(1));

// 1. Fresh store with demo history, as `npm start` runs it, until a sign-up succeeds.
const dir = mkdtempSync(join(tmpdir(), "bench-local-backend-"));
const envFile = join(dir, "backend.env");
writeFileSync(envFile, `LOG_STREAM_WEBHOOK_SECRET="${SECRET}"\n`, { mode: 0o600 });
const started = performance.now();
let historyDone = null;
const historyWritten = new Promise((resolve) => (historyDone = resolve));
const app = await startBackend(
  [
    "--convex-dir",
    join(ROOT, "convex"),
    "--data-dir",
    join(dir, "data"),
    "--dotenv",
    envFile,
    "--init-env",
    "--no-crons",
    "--seed",
    "metrics/demo:seedHistory",
  ],
  (line) => {
    if (/demo history: all/.test(line)) historyDone(performance.now() - started);
  },
);
let rssMax = rssMb(app.child.pid);
const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, rssMb(app.child.pid))), 500);
const http = new ConvexHttpClient(app.url);
const signIn = makeFunctionReference("auth:signIn");
const signUp = await http.action(signIn, {
  provider: "password",
  params: { email: "bench@example.com", password: "Correct-Horse-Battery-9!", flow: "signUp" },
});
if (!signUp.tokens?.token) throw new Error("sign-up did not return a token");
const startToReadyMs = performance.now() - started;
const demoHistoryMs = await historyWritten;
console.log(`start_to_ready_ms=${Math.round(startToReadyMs)}`);
console.log(`demo_history_ms=${Math.round(demoHistoryMs)}`);

// 2. Sustained ingest on top of the day of history, with health checks alongside.
let sequence = 0;
function nextBatch() {
  const to = Date.now();
  const events = generateTraffic({ from: to - 2000, to, perMinute: 6000, seed: to + sequence++ });
  return JSON.stringify(events.slice(-MAX_EVENTS_PER_BATCH));
}
/** One INGEST_SECONDS run of offered load; returns its figures. */
async function ingestRun() {
  const webhookMs = [];
  const healthMs = [];
  let accepted = 0;
  let failures = 0;
  const ingestStart = performance.now();
  const ingestEnd = ingestStart + INGEST_SECONDS * 1000;
  async function postBatch() {
    const bytes = new TextEncoder().encode(nextBatch());
    const t0 = performance.now();
    try {
      const response = await fetch(`${app.siteUrl}/log-stream`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-webhook-signature": await signBody(SECRET, bytes) },
        body: bytes,
      });
      const text = await response.text();
      webhookMs.push(performance.now() - t0);
      if (response.ok) accepted += JSON.parse(text).accepted;
      else if (failures++ < 3) console.error(`log-stream answered ${response.status}: ${text}`);
    } catch (error) {
      if (failures++ < 3) console.error(`log-stream failed: ${error.message}`);
    }
  }
  async function offeredLoad() {
    const intervalMs = (1000 * MAX_EVENTS_PER_BATCH) / INGEST_RATE;
    const inFlight = new Set();
    for (let next = ingestStart; next < ingestEnd; next += intervalMs) {
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
      const request = postBatch().finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await Promise.all(inFlight);
  }
  async function healthChecker() {
    while (performance.now() < ingestEnd) {
      const t0 = performance.now();
      const response = await fetch(`${app.siteUrl}/api/health`);
      await response.text();
      healthMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await Promise.all([offeredLoad(), healthChecker()]);
  const ingestSeconds = (performance.now() - ingestStart) / 1000;
  return { webhookMs, healthMs, accepted, failures, ingestSeconds };
}

// BENCH_INGEST_RUNS runs one after another on the same backend: the spread says how much of a
// figure is the machine (shared and noisy) rather than the backend.
const runs = [];
for (let run = 1; run <= INGEST_RUNS; run++) {
  const { webhookMs, healthMs, accepted, failures, ingestSeconds } = await ingestRun();
  const suffix = INGEST_RUNS > 1 ? `_run${run}` : "";
  console.log(
    `ingest_seconds${suffix}=${ingestSeconds.toFixed(0)} offered_events_per_s=${INGEST_RATE} failed_batches${suffix}=${failures}`,
  );
  console.log(`ingest_events_per_s${suffix}=${(accepted / ingestSeconds).toFixed(0)}`);
  console.log(
    `webhook_p50_ms${suffix}=${fmt(percentile(webhookMs, 50))} webhook_p95_ms${suffix}=${fmt(percentile(webhookMs, 95))} webhook_p99_ms${suffix}=${fmt(percentile(webhookMs, 99))}`,
  );
  console.log(`health_p99_ms${suffix}=${fmt(percentile(healthMs, 99))}`);
  // The machine's 1-minute load average as the run ended: a run on a busy machine is slower.
  console.log(`load_average${suffix}=${loadavg()[0].toFixed(1)} cpus=${availableParallelism()}`);
  runs.push(percentile(webhookMs, 95));
}
if (INGEST_RUNS > 1)
  console.log(`webhook_p95_ms_spread=${fmt(Math.min(...runs))}..${fmt(Math.max(...runs))}`);
clearInterval(rssTimer);
rssMax = Math.max(rssMax, rssMb(app.child.pid));
await stop(app.child);
const store = Store.open(join(dir, "data"));
const journalEntries = store.startedJobIds().length;
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(`rss_mb_max=${rssMax.toFixed(0)}`);
console.log(`started_jobs_journal_entries=${journalEntries}`);

// 3. Update latency to many subscribers (the fixture app, in memory).
const fixture = await startBackend([
  "--convex-dir",
  join(ROOT, "tools/local-backend/fixtures/convex"),
  "--in-memory",
  "--no-crons",
]);
const count = makeFunctionReference("messages:count");
const send = makeFunctionReference("messages:send");
const options = { webSocketConstructor: WebSocket, skipConvexDeploymentUrlCheck: true, logger: false };
const subscribers = Array.from({ length: SUBSCRIBERS }, () => new ConvexClient(fixture.url, options));
const writer = new ConvexClient(fixture.url, options);
const latest = new Array(SUBSCRIBERS).fill(-1);
let waiter = null;
subscribers.forEach((client, i) =>
  client.onUpdate(count, {}, (value) => {
    latest[i] = value;
    if (waiter && latest.every((v) => v >= waiter.target)) {
      const w = waiter;
      waiter = null;
      w.resolve(performance.now());
    }
  }),
);
const allAtLeast = (target) =>
  new Promise((resolve) => {
    if (latest.every((v) => v >= target)) resolve(performance.now());
    else waiter = { target, resolve };
  });

await allAtLeast(0);
const latencies = [];
for (let i = 1; i <= MUTATIONS; i++) {
  const t0 = performance.now();
  const reached = allAtLeast(i);
  await writer.mutation(send, { author: "bench", body: `message ${i}` });
  latencies.push((await reached) - t0);
}
await Promise.all([...subscribers, writer].map((c) => c.close()));
await stop(fixture.child);
console.log(`subscribers=${SUBSCRIBERS} mutations=${MUTATIONS} fixture_startup_ms=${fixture.startupMs}`);
console.log(
  `update_latency_p50_ms=${fmt(percentile(latencies, 50))} update_latency_p95_ms=${fmt(percentile(latencies, 95))}`,
);
