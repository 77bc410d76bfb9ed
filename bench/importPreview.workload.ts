/**
 * Streams a generated CSV of TARGET_BYTES through the console's import preview, in a process
 * whose V8 heap is capped, and prints name=value lines: rows, preview_ms, mb_per_s, rss_mb_max.
 * The file is made chunk by chunk as the preview asks for it, so only the preview holds memory.
 */
import { readFileSync } from "node:fs";
import { previewImport } from "../convex/imports/model/preview";

const TARGET_BYTES = Number(process.env.TARGET_BYTES ?? 200_000_000);
const CHUNK_ROWS = 1000;

let rssMax = 0;
const sampleRss = () => (rssMax = Math.max(rssMax, process.memoryUsage().rss));

async function* generatedCsv(targetBytes: number): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let sent = 0;
  let row = 0;
  const header = encoder.encode("\uFEFFauthor,body,rank,zip\r\n");
  sent += header.length;
  yield header;
  while (sent < targetBytes) {
    let text = "";
    for (let index = 0; index < CHUNK_ROWS; index++, row++) {
      // Quoted commas and newlines, and a zip with a leading zero: the parser's harder paths.
      text += `user${row % 997},"Message ${row}, with a comma\nand a second line",${row},0${row % 9000}\r\n`;
    }
    const bytes = encoder.encode(text);
    sent += bytes.length;
    sampleRss();
    yield bytes;
  }
}

/** The kernel's high-water mark of this process's resident memory, in bytes. */
function peakRss(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) * 1024 : rssMax;
}

const started = performance.now();
const preview = await previewImport(generatedCsv(TARGET_BYTES), { format: "csv", tableValidator: null });
const ms = performance.now() - started;
sampleRss();
console.log(`rows=${preview.rows}`);
console.log(`invalid=${preview.invalidCount}`);
console.log(`bytes=${preview.bytes}`);
console.log(`preview_ms=${Math.round(ms)}`);
console.log(`mb_per_s=${(preview.bytes / 1e6 / (ms / 1000)).toFixed(1)}`);
console.log(`rss_mb_max=${Math.round(Math.max(peakRss(), rssMax) / 1e6)}`);
