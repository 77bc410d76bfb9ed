#!/usr/bin/env node
// Benchmark of the offline local backend (not a timed test). Run: npm run bench:local-backend
// Prints, as its last lines:
//   startup_ms=<n>
//   update_latency_p50_ms=<n> update_latency_p95_ms=<n>
// where update latency is the time from a mutation's call until the update has reached all
// 20 subscribed ConvexClients, over 200 mutations.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { ConvexClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 20);
const MUTATIONS = Number(process.env.BENCH_MUTATIONS ?? 200);
const count = makeFunctionReference("messages:count");
const send = makeFunctionReference("messages:send");

function startBackend() {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(ROOT, "tools/local-backend/main.mjs"),
      "--convex-dir",
      join(ROOT, "tools/local-backend/fixtures/convex"),
      "--port",
      "0",
      "--site-port",
      "0",
      "--in-memory",
      "--no-crons",
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`backend did not start: ${out}`));
    }, 60_000);
    child.stdout.on("data", (d) => {
      out += d;
      const match = /local-backend ready url=(\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], startupMs: Math.round(performance.now() - started) });
      }
    });
    child.once("exit", (code) => reject(new Error(`backend exited (${code}): ${out}`)));
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const backend = await startBackend();
const options = { webSocketConstructor: WebSocket, skipConvexDeploymentUrlCheck: true, logger: false };
const subscribers = Array.from({ length: SUBSCRIBERS }, () => new ConvexClient(backend.url, options));
const writer = new ConvexClient(backend.url, options);
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
backend.child.kill("SIGTERM");

latencies.sort((a, b) => a - b);
console.log(`subscribers=${SUBSCRIBERS} mutations=${MUTATIONS} max_ms=${latencies.at(-1).toFixed(1)}`);
console.log(`startup_ms=${backend.startupMs}`);
console.log(
  `update_latency_p50_ms=${percentile(latencies, 50).toFixed(1)} update_latency_p95_ms=${percentile(latencies, 95).toFixed(1)}`,
);
