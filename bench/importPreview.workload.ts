/**
 * Streams a generated CSV of TARGET_BYTES through the console's import preview, in a process
 * whose V8 heap is capped, and prints name=value lines: rows, preview_ms, mb_per_s, rss_mb_max.
 * The file is made chunk by chunk as the preview asks for it, so only the preview holds memory.
 */
import { readFileSync } from "node:fs";
import { previewImport } from "../convex/imports/model/preview";
import { generatedRows } from "./generatedRows";

const TARGET_BYTES = Number(process.env.TARGET_BYTES ?? 200_000_000);
let rssMax = 0;
const sampleRss = () => (rssMax = Math.max(rssMax, process.memoryUsage().rss));

async function* generatedCsv(targetBytes: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of generatedRows("csv", targetBytes)) {
    sampleRss();
    yield chunk;
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
