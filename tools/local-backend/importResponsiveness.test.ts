/**
 * The console's backend keeps answering while it previews hostile imports: its `/version` is asked
 * every 50 ms throughout, on the real local backend (the preview runs in its event loop, as an
 * action does). The bound (no answer slower than 2 s) catches a freeze without failing on a loaded
 * machine; the percentiles are printed as `name=value` for the report.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zipChunks } from "../../convex/lib/snapshot/zipWriter";
import { percentile } from "../loadgen/loadgen.ts";
import {
  finishUpload,
  pollHealth,
  startConsoleWithTarget,
  uploadImport,
  waitForImport,
  type ConsoleWithTarget,
} from "./consoleImports.ts";

const SLOWEST_ANSWER_MS = 2000;

let backends: ConsoleWithTarget;
let oneLineBomb: Uint8Array;
let manyRows: Uint8Array;
beforeAll(async () => {
  // Made first: zipping holds this process's event loop, and an idle connection to a backend
  // closed meanwhile would fail the next call.
  oneLineBomb = await bomb("tasks", repeated(new Uint8Array(MiB).fill(0x61), 1024 * MiB));
  manyRows = await bomb("tasks", repeated(new TextEncoder().encode('{"a":1}\n'.repeat(MiB / 8)), 16 * MiB));
  backends = await startConsoleWithTarget();
}, 180_000);
afterAll(async () => await backends?.stop());

async function zipOf(entries: { name: string; data: string | AsyncIterable<Uint8Array> }[]) {
  const parts: Uint8Array[] = [];
  for await (const chunk of zipChunks(entries, {})) parts.push(chunk);
  return Buffer.concat(parts);
}

/** `total` bytes of `block` repeated, made as the ZIP writer asks for them. */
async function* repeated(block: Uint8Array, total: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += block.length) yield block;
}

const MiB = 2 ** 20;

function bomb(table: string, documents: AsyncIterable<Uint8Array>) {
  return zipOf([
    { name: "_tables/documents.jsonl", data: `{"name":"${table}","id":10001}\n` },
    { name: `${table}/documents.jsonl`, data: documents },
    { name: `${table}/generated_schema.jsonl`, data: '"uniform"\n' },
  ]);
}

async function previewWhilePolling(name: string, file: Uint8Array) {
  const importId = await uploadImport(backends.client, name, file);
  const health = pollHealth(backends.console, 20);
  await finishUpload(backends.client, importId);
  const done = await waitForImport(backends.client, importId, ["ready", "failed"]);
  const times = await health.stop();
  return { done, times, slowest: Math.max(...times) };
}

describe("the console's backend while it previews a hostile ZIP", { timeout: 600_000 }, () => {
  it("answers throughout a 1 GiB one-line deflate bomb, which is refused by its line", async () => {
    expect(oneLineBomb.length).toBeLessThan(2 * MiB);
    const { done, times, slowest } = await previewWhilePolling("bomb.zip", oneLineBomb);
    console.log(
      `health_during_bomb_preview requests=${times.length} p50_ms=${percentile(times, 50)?.toFixed(1)} p99_ms=${percentile(times, 99)?.toFixed(1)} max_ms=${slowest.toFixed(1)}`,
    );
    expect(JSON.stringify(done.status)).toMatch(/Line 1 is longer than 6 MiB/);
    expect(slowest).toBeLessThan(SLOWEST_ANSWER_MS);
  });

  it("answers throughout a 40 KB ZIP of 2 million small documents, each checked against the schema", async () => {
    expect(manyRows.length).toBeLessThan(64 * 1024);
    const { done, times, slowest } = await previewWhilePolling("rows.zip", manyRows);
    console.log(
      `health_during_rows_preview requests=${times.length} p50_ms=${percentile(times, 50)?.toFixed(1)} p99_ms=${percentile(times, 99)?.toFixed(1)} max_ms=${slowest.toFixed(1)}`,
    );
    expect(JSON.stringify(done.status)).toMatch(/None of the file's 2,097,152 rows can be imported/);
    expect(slowest).toBeLessThan(SLOWEST_ANSWER_MS);
  });
});
