/**
 * A 100k-row CSV imported end to end through the console, as an operator's browser would drive
 * it: the console's backend (this project's convex/), connected by its admin as in Settings,
 * uploads, previews and imports into a second local backend (the fixture app, table `messages`)
 * through Convex's snapshot import API. Then a ZIP of ZIP_ROWS small documents (a few KB that
 * inflate to millions of rows) is previewed.
 * Throughout, the console backend's /version is asked every 50 ms: the preview and the send run in
 * its event loop, so a step that holds it shows as a slow health answer.
 * Prints name=value lines: upload_ms, preview_ms (upload finished → preview ready), send_ms,
 * import_ms (confirm → completed), rows_per_s (first byte sent → rows written), rss_mb_max (the
 * console backend's peak, where the preview runs), target_rss_mb_max, and
 * health_p50/p99/max_during_<step>_ms for preview, send (submit → Convex's summary), import and
 * zip_preview.
 */
import { readFileSync } from "node:fs";
import { zipChunks } from "../convex/lib/snapshot/zipWriter";
import { percentile } from "../tools/loadgen/loadgen";
import {
  finishUpload,
  pollHealth,
  startConsoleWithTarget,
  uploadImport,
  waitForImport,
} from "../tools/local-backend/consoleImports";
import { mutationRef, type RunningBackend } from "../tools/local-backend/testSupport";

const ROWS = Number(process.env.ROWS ?? 100_000);
const ZIP_BLOCK_ROWS = 1 << 17;
/** Whole blocks of `ZIP_BLOCK_ROWS` documents. */
const ZIP_ROWS = Math.ceil(Number(process.env.ZIP_ROWS ?? 4_000_000) / ZIP_BLOCK_ROWS) * ZIP_BLOCK_ROWS;

function csvFile(rows: number): Uint8Array {
  let text = "author,body,rank\r\n";
  for (let index = 0; index < rows; index++)
    text += `user${index % 97},"Message ${index}, imported",${index}\r\n`;
  return new TextEncoder().encode(text);
}

async function zipOfSmallRows(rows: number): Promise<Uint8Array> {
  const block = new TextEncoder().encode('{"a":1}\n'.repeat(ZIP_BLOCK_ROWS));
  async function* documents() {
    for (let sent = 0; sent < rows; sent += ZIP_BLOCK_ROWS) yield block;
  }
  const parts: Uint8Array[] = [];
  for await (const chunk of zipChunks(
    [
      { name: "_tables/documents.jsonl", data: '{"name":"tasks","id":10001}\n' },
      { name: "tasks/documents.jsonl", data: documents() },
      { name: "tasks/generated_schema.jsonl", data: '"uniform"\n' },
    ],
    {},
  ))
    parts.push(chunk);
  return Buffer.concat(parts);
}

function peakRssMb(backend: RunningBackend): number {
  const status = readFileSync(`/proc/${backend.child.pid}/status`, "utf8");
  return Math.round((Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024) / 1e6);
}

function healthLine(step: string, times: number[]): string {
  const fmt = (value: number | null) => (value === null ? "none" : value.toFixed(1));
  return `health_p50_during_${step}_ms=${fmt(percentile(times, 50))} health_p99_during_${step}_ms=${fmt(percentile(times, 99))} health_max_during_${step}_ms=${fmt(times.length ? Math.max(...times) : null)}`;
}

// Made before the backends start: building them holds this process's event loop.
const file = csvFile(ROWS);
const zip = await zipOfSmallRows(ZIP_ROWS);
const backends = await startConsoleWithTarget();
const { client } = backends;

try {
  const started = performance.now();
  const importId = await uploadImport(client, "messages.csv", file, "messages");
  let health = pollHealth(backends.console);
  await finishUpload(client, importId);
  const uploaded = performance.now();
  const ready = await waitForImport(client, importId, ["ready"]);
  const previewed = performance.now();
  const previewHealth = await health.stop();
  if (ready.preview?.rows !== ROWS) throw new Error(`preview counted ${ready.preview?.rows} rows`);

  health = pollHealth(backends.console);
  await client.mutation(mutationRef("imports/imports:submit"), { importId, mode: "append" });
  await waitForImport(client, importId, ["waiting_for_confirmation"]);
  const confirmedAt = performance.now();
  const sendHealth = await health.stop();
  health = pollHealth(backends.console);
  await client.mutation(mutationRef("imports/imports:confirm"), { importId });
  const done = await waitForImport(client, importId, ["completed"]);
  const finished = performance.now();
  const importHealth = await health.stop();
  if (done.status.rowsWritten !== ROWS) throw new Error(`wrote ${String(done.status.rowsWritten)} rows`);

  const zipId = await uploadImport(client, "rows.zip", zip);
  health = pollHealth(backends.console);
  const zipStarted = performance.now();
  await finishUpload(client, zipId);
  const zipDone = await waitForImport(client, zipId, ["ready", "failed"]);
  const zipPreviewMs = performance.now() - zipStarted;
  const zipHealth = await health.stop();
  if (!JSON.stringify(zipDone).includes(ZIP_ROWS.toLocaleString("en-US")))
    throw new Error(`the ZIP preview did not count its ${ZIP_ROWS} rows: ${JSON.stringify(zipDone.status)}`);

  console.log(`rows=${ROWS}`);
  console.log(`bytes=${file.length}`);
  console.log(`upload_ms=${Math.round(uploaded - started)}`);
  console.log(`preview_ms=${Math.round(previewed - uploaded)}`);
  console.log(`send_ms=${Math.round(confirmedAt - previewed)}`);
  console.log(`import_ms=${Math.round(finished - confirmedAt)}`);
  console.log(`rows_per_s=${Math.round(ROWS / ((finished - started) / 1000))}`);
  console.log(healthLine("preview", previewHealth));
  console.log(healthLine("send", sendHealth));
  console.log(healthLine("import", importHealth));
  console.log(`zip_rows=${ZIP_ROWS} zip_bytes=${zip.length} zip_preview_ms=${Math.round(zipPreviewMs)}`);
  console.log(healthLine("zip_preview", zipHealth));
  console.log(`rss_mb_max=${peakRssMb(backends.console)}`);
  console.log(`target_rss_mb_max=${peakRssMb(backends.target)}`);
} finally {
  await backends.stop();
}
