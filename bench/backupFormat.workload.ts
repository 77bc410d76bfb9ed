// One process, one size: writes a snapshot ZIP of ROWS generated documents to disk through the
// streaming writer, then verifies it and previews it as an import from disk through the streaming
// reader, sampling the process's resident memory and V8 heap as it goes. Driven by bench/backup-format.bench.mjs, which bundles this file.
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { snapshotZipChunks } from "../convex/lib/snapshot/snapshotZip";
import { verifySnapshotZip } from "../convex/lib/snapshot/verify";
import { previewImport } from "../convex/imports/model/preview";
import { generatedSnapshot } from "./generatedDocuments";

const rows = Number(process.env.ROWS ?? 100_000);
const path = process.env.ZIP_PATH ?? `/tmp/backup-format-${rows}.zip`;
let rssMax = 0;
let heapMax = 0;
let samples = 0;
const sample = () => {
  rssMax = Math.max(rssMax, process.memoryUsage.rss());
  // heapUsed walks the heap's spaces: every 16th chunk is often enough.
  if (samples++ % 16 === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
};

async function main() {
  const zipStart = performance.now();
  const out = createWriteStream(path);
  let zipBytes = 0;
  const snapshot = generatedSnapshot(rows);
  for await (const chunk of snapshotZipChunks(snapshot, { modifiedAt: new Date() })) {
    zipBytes += chunk.length;
    sample();
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  const zipMs = performance.now() - zipStart;

  const verifyStart = performance.now();
  async function* file() {
    for await (const chunk of createReadStream(path, { highWaterMark: 65536 })) {
      sample();
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  const result = await verifySnapshotZip(file(), { expectStorage: false, expectedSize: zipBytes });
  const verifyMs = performance.now() - verifyStart;
  if (!result.ok || result.totalRows !== rows)
    throw new Error(`verification failed: ${JSON.stringify(result)}`);
  const previewStart = performance.now();
  const preview = await previewImport(file(), { format: "zip", tableValidator: null });
  const previewMs = performance.now() - previewStart;
  if (preview.rejected !== null || preview.rows !== rows)
    throw new Error(`preview failed: ${JSON.stringify(preview)}`);
  console.log(`rows=${rows}`);
  console.log(`zip_ms=${Math.round(zipMs)}`);
  console.log(`verify_ms=${Math.round(verifyMs)}`);
  console.log(`zip_bytes=${zipBytes}`);
  console.log(`json_bytes=${result.uncompressedBytes}`);
  console.log(`zip_json_mb_per_s=${(result.uncompressedBytes / 1e6 / (zipMs / 1000)).toFixed(1)}`);
  console.log(`verify_json_mb_per_s=${(result.uncompressedBytes / 1e6 / (verifyMs / 1000)).toFixed(1)}`);
  console.log(`verify_rows_per_s=${Math.round(rows / (verifyMs / 1000))}`);
  console.log(`preview_ms=${Math.round(previewMs)}`);
  console.log(`rss_mb_max=${Math.round(rssMax / 1e6)}`);
  console.log(`heap_mb_max=${Math.round(heapMax / 2 ** 20)}`);
}

await main();
