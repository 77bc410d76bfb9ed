// One size, one process (driven by bench/backup.bench.mjs): a local backend child process holding
// ROWS documents, backed up, verified and restored through the real snapshot HTTP API, the way the
// console does it. Prints name=value lines: backup_ms (export request → completed, plus the streamed
// download to a file), verify_ms (the console's streaming verifier over that file), restore_ms
// (upload in 5 MiB parts → replaceAll confirmed → completed), zip_bytes, the backend's resident
// memory once seeded (rss_mb_seeded) and its peak during backup and restore (rss_mb_max, and each
// apart), and this process's once seeded and at its peak (bench_rss_mb_seeded, bench_rss_mb_max).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import { encodeConvexId } from "../convex/lib/snapshot/convexId";
import type { ExportObject } from "../convex/lib/snapshot/exportJson";
import { uploadParts } from "../convex/backups/model/restorePlan";
import { snapshotZipChunks } from "../convex/lib/snapshot/snapshotZip";
import { verifySnapshotZip } from "../convex/lib/snapshot/verify";
import { generateAdminKey } from "../tools/local-backend/adminKey";

const ROOT = join(import.meta.dirname, "..");
const rows = Number(process.env.ROWS ?? 10_000);
const TABLE_NUMBER = 10001;
const work = mkdtempSync(join(tmpdir(), "bench-backup-"));
const adminKey = generateAdminKey();
const admin = { Authorization: `Convex ${adminKey}` };

/** Peak resident memory per phase: the backend's from /proc, this process's own. */
const peaks = { backend: 0, bench: 0 };
function sampleMemory(pid: number) {
  peaks.bench = Math.max(peaks.bench, process.memoryUsage.rss());
  try {
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (rss) peaks.backend = Math.max(peaks.backend, Number(rss[1]) * 1024);
  } catch {
    // The backend has exited.
  }
}
const mb = (bytes: number) => Math.round(bytes / 1e6);

/** A deterministic stream of pseudo-random words, so the documents compress like real text. */
let seed = 0x9e3779b9;
function word(): string {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0).toString(36);
}

function* messages(count: number): Generator<ExportObject> {
  const internalId = new Uint8Array(16);
  const view = new DataView(internalId.buffer);
  for (let i = 0; i < count; i++) {
    view.setUint32(0, i);
    view.setUint32(12, (i * 2654435761) >>> 0);
    yield {
      _id: encodeConvexId(TABLE_NUMBER, internalId),
      _creationTime: 1715973841548 + i * 37.5,
      author: `user${i % 97}@example.com`,
      body: `Follow up on ticket ${i}: ${Array.from({ length: 12 }, word).join(" ")}`,
      rank: i,
    };
  }
}

async function startBackend() {
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
      "--data-dir",
      join(work, "data"),
      "--no-crons",
    ],
    { env: { ...process.env, CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey }, stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += String(chunk);
      const ready = /local-backend ready url=(\S+)/.exec(output);
      if (ready) resolve(ready[1]!);
    });
    child.once("exit", () => reject(new Error(`the local backend did not start:\n${output}`)));
  });
  return { child, url, output: () => output };
}

const backend = await startBackend();
// A full collection every 200 ms (the driver passes --expose-gc), so this process's peak is what it
// holds, not garbage V8 has yet to collect: the downloaded chunks and upload parts are let go at once.
const collect = (globalThis as { gc?: () => void }).gc;
let samples = 0;
const sampler = setInterval(() => {
  if (collect && ++samples % 8 === 0) collect();
  sampleMemory(backend.child.pid!);
}, 25);

async function api(path: string, init: RequestInit = {}) {
  const response = await fetch(`${backend.url}${path}`, {
    method: "POST",
    ...init,
    headers: { ...admin, ...(init.headers as Record<string, string>) },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

async function systemQuery(
  path: string,
  args: Record<string, Value> = {},
): Promise<Record<string, Value> | null> {
  const request = () =>
    api("/api/query", {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ path, args: [convexToJson(args)], format: "convex_encoded_json" }),
    });
  // A poll may meet a kept-alive connection the busy backend is just closing; a query is safe to repeat.
  const response = await request().catch(async (error: unknown) => {
    if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw error;
    return await request();
  });
  return jsonToConvex(((await response.json()) as { value: never }).value) as Record<string, Value> | null;
}

async function until<T>(read: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Uploads a ZIP in 5 MiB parts, confirms the import, and waits for its end; returns rows written. */
async function importZip(path: string, mode: "requireEmpty" | "replaceAll"): Promise<bigint> {
  const { uploadToken } = (await (await api("/api/import/start_upload")).json()) as { uploadToken: string };
  const partTokens: string[] = [];
  let partNumber = 0;
  for await (const part of uploadParts(createReadStream(path))) {
    const response = await api(
      `/api/import/upload_part?uploadToken=${uploadToken}&partNumber=${++partNumber}`,
      {
        headers: { "Content-Type": "application/octet-stream" },
        body: part as Uint8Array<ArrayBuffer>,
      },
    );
    partTokens.push((await response.json()) as string);
  }
  const { importId } = (await (
    await api("/api/import/finish_upload", {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ import: { format: "zip", mode }, uploadToken, partTokens }),
    })
  ).json()) as { importId: string };
  const stateOf = async () =>
    ((await systemQuery("_system/cli/queryImport", { importId })) as { state: Record<string, Value> }).state;
  const waiting = await until(async () => {
    const state = await stateOf();
    return state.state === "uploaded" ? null : state;
  });
  if (waiting.state !== "waiting_for_confirmation") throw new Error(JSON.stringify(waiting));
  await api("/api/perform_import", {
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ importId }),
  });
  const done = await until(async () => {
    const state = await stateOf();
    return state.state === "completed" || state.state === "failed" ? state : null;
  });
  if (done.state !== "completed") throw new Error(String(done.error_message));
  return done.num_rows_written as bigint;
}

try {
  // Seeding (not timed): a generated snapshot of `rows` messages, imported into the empty store.
  const seedZip = join(work, "seed.zip");
  await pipeline(
    Readable.from(
      snapshotZipChunks(
        { tables: [{ name: "messages", tableNumber: TABLE_NUMBER, documents: messages(rows) }] },
        { modifiedAt: new Date() },
      ),
    ),
    createWriteStream(seedZip),
  );
  if ((await importZip(seedZip, "requireEmpty")) !== BigInt(rows))
    throw new Error("seeding wrote too few rows");
  rmSync(seedZip);
  // The store at rest with every document loaded: the baseline the operations add to.
  await new Promise((resolve) => setTimeout(resolve, 500));
  peaks.backend = 0;
  peaks.bench = 0;
  sampleMemory(backend.child.pid!);
  const seededRss = peaks.backend;
  const benchSeededRss = peaks.bench;

  const backupStart = performance.now();
  await api("/api/export/request/zip?includeStorage=false");
  const completed = await until(async () => {
    const latest = await systemQuery("_system/cli/exports:getLatest");
    if (latest?.state === "failed") throw new Error("the export failed");
    return latest?.state === "completed" ? latest : null;
  });
  const download = await api(`/api/export/zip/${String(completed.start_ts)}`, { method: "GET" });
  const zipPath = join(work, "backup.zip");
  const file = createWriteStream(zipPath);
  let zipBytes = 0;
  for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) {
    zipBytes += chunk.length;
    if (!file.write(chunk)) await once(file, "drain");
  }
  file.end();
  await once(file, "finish");
  const backupMs = performance.now() - backupStart;
  if (BigInt(zipBytes) !== completed.size)
    throw new Error(`downloaded ${zipBytes} of ${String(completed.size)} bytes`);

  sampleMemory(backend.child.pid!);
  const backupRss = peaks.backend;
  peaks.backend = 0;

  const verifyStart = performance.now();
  const verified = await verifySnapshotZip(createReadStream(zipPath, { highWaterMark: 65536 }), {
    expectStorage: false,
    expectedSize: zipBytes,
  });
  const verifyMs = performance.now() - verifyStart;
  if (!verified.ok || verified.totalRows !== rows)
    throw new Error(`verification failed: ${JSON.stringify(verified)}`);

  const restoreStart = performance.now();
  const restored = await importZip(zipPath, "replaceAll");
  const restoreMs = performance.now() - restoreStart;
  if (restored !== BigInt(rows)) throw new Error(`restore wrote ${String(restored)} of ${rows} rows`);
  sampleMemory(backend.child.pid!);

  console.log(`backup_ms=${Math.round(backupMs)}`);
  console.log(`verify_ms=${Math.round(verifyMs)}`);
  console.log(`restore_ms=${Math.round(restoreMs)}`);
  console.log(`zip_bytes=${zipBytes}`);
  console.log(`rss_mb_seeded=${mb(seededRss)}`);
  console.log(`rss_mb_max=${mb(Math.max(backupRss, peaks.backend))}`);
  console.log(`rss_mb_max_backup=${mb(backupRss)}`);
  console.log(`rss_mb_max_restore=${mb(peaks.backend)}`);
  console.log(`bench_rss_mb_seeded=${mb(benchSeededRss)}`);
  console.log(`bench_rss_mb_max=${mb(peaks.bench)}`);
} catch (error) {
  process.stderr.write(backend.output());
  throw error;
} finally {
  clearInterval(sampler);
  backend.child.kill("SIGTERM");
  await once(backend.child, "exit");
  rmSync(work, { recursive: true, force: true });
}
