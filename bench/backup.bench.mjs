#!/usr/bin/env node
// Benchmark of backup, verification and restore against the local backend (not a timed test).
// Run: npm run bench:backup. For 10k and then 100k documents (BENCH_ROWS=… to change), each size in
// a fresh process whose V8 heap is capped at 64 MiB (a download or verification that held the ZIP
// would die), prints name=value lines suffixed with the size: backup_ms, verify_ms, restore_ms,
// zip_bytes, the backend's resident memory once seeded and at its peak during backup and restore
// (rss_mb_seeded, rss_mb_max, rss_mb_max_backup, rss_mb_max_restore), and the bench process's
// (bench_rss_mb_seeded, bench_rss_mb_max). The backend keeps its documents in memory, so what an
// operation adds is its peak minus rss_mb_seeded: a backup adds nothing that grows with the size; a
// replaceAll restore holds the replaced documents beside their replacements until its one commit.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const label = (rows) => (rows % 1000 === 0 ? `${rows / 1000}k` : String(rows));

for (const rows of (process.env.BENCH_ROWS ?? "10000,100000").split(",").map(Number)) {
  const run = spawnSync(
    process.execPath,
    [
      "--max-old-space-size=64",
      "--expose-gc",
      "--import",
      `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(
        new URL("../tools/local-backend/ts-hooks.mjs", import.meta.url).href,
      )})`,
      join(HERE, "backup.workload.ts"),
    ],
    { env: { ...process.env, ROWS: String(rows) }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (run.status !== 0) {
    process.stdout.write(run.stdout);
    process.exit(run.status ?? 1);
  }
  for (const line of run.stdout.trim().split("\n")) {
    const [name, value] = line.split("=");
    console.log(`${name}_${label(rows)}=${value}`);
  }
}
