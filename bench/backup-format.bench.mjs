#!/usr/bin/env node
// Benchmark of the backup ZIP foundations (not a timed test). Run: npm run bench:backup-format
// For 10k, 100k and 1M documents, each in a fresh process whose V8 heap is capped at 48 MiB,
// prints name=value lines: zip_ms, verify_ms, preview_ms, heap_mb_max, zip_bytes, json_bytes, zip_json_mb_per_s,
// verify_json_mb_per_s, verify_rows_per_s, rss_mb_max. A run that held the archive or its rows in
// memory would die at 1M; the peak RSS of the 100k and 1M runs should be about the same.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, ".local/bench");
mkdirSync(OUT, { recursive: true });
const bundle = join(OUT, "backup-format.workload.mjs");
await build({
  entryPoints: [join(ROOT, "bench/backupFormat.workload.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: bundle,
  logLevel: "warning",
});

for (const rows of (process.env.BENCH_ROWS ?? "10000,100000,1000000").split(",").map(Number)) {
  const zipPath = join(OUT, `backup-format-${rows}.zip`);
  const run = spawnSync(process.execPath, ["--max-old-space-size=48", bundle], {
    env: { ...process.env, ROWS: String(rows), ZIP_PATH: zipPath },
    encoding: "utf8",
  });
  rmSync(zipPath, { force: true });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exit(run.status ?? 1);
  }
  for (const line of run.stdout.trim().split("\n")) console.log(`backup_format_${rows}_${line}`);
}
