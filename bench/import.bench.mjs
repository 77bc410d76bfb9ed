#!/usr/bin/env node
// Benchmark of imports (not a timed test). Run: npm run bench:import
// 1. A 100k-row CSV end to end through the console on two real local backends (see
//    importEndToEnd.workload.ts): rows_per_s, preview_ms (target ≤ 3000), rss_mb_max, the
//    time of each step, and the console backend's health answer times during each step and during
//    the preview of a ZIP of ~4M small rows (health_p99_during_<step>_ms, target < 100).
// 2. The streaming preview of generated 20 MB and 200 MB CSVs in a process whose V8 heap is
//    capped at 64 MiB (see importPreview.workload.ts): parse_<size>_rss_mb_max stays about the
//    same for both sizes, which a parser holding the file or its rows could not do.
// BENCH_IMPORT_ROWS and BENCH_PARSE_MB (comma-separated) change the sizes.
import { spawnSync } from "node:child_process";
import { register } from "node:module";
import { fileURLToPath } from "node:url";

register("../tools/local-backend/ts-hooks.mjs", import.meta.url);
const SELF = fileURLToPath(import.meta.url);

if (process.argv[2] === "preview-workload") {
  await import("./importPreview.workload.ts");
} else {
  process.env.ROWS = process.env.BENCH_IMPORT_ROWS ?? "100000";
  await import("./importEndToEnd.workload.ts");
  for (const mb of (process.env.BENCH_PARSE_MB ?? "20,200").split(",").map(Number)) {
    const run = spawnSync(process.execPath, ["--max-old-space-size=64", SELF, "preview-workload"], {
      env: { ...process.env, TARGET_BYTES: String(mb * 1_000_000) },
      encoding: "utf8",
    });
    if (run.status !== 0) {
      process.stderr.write(run.stderr);
      process.exit(run.status ?? 1);
    }
    for (const line of run.stdout.trim().split("\n")) console.log(`parse_${mb}mb_${line}`);
  }
}
