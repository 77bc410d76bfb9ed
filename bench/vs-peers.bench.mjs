#!/usr/bin/env node
// Our code against the tool an operator would use instead, on the same generated input, in one run
// and one process tree (not a timed test). Run: npm run bench:vs-peers
// Each pair prints `<name>_ours=` and `<name>_peer=` in MB/s of the input (higher is faster) and
// `<name>_ratio=` ours/peer (≥ 1 means we are at least as fast). Every side runs in its own child
// process with the preview's 64 MiB V8 heap; the shared machine is noisy, so compare ratios.
//   preview_<csv|jsonl>_<N>mb_<peer>   our full import preview (Convex typing, line numbers, every
//        invalid line, SHA-256) vs papaparse (header, dynamicTyping) and csv-parse (columns, cast);
//        JSON Lines vs Node's readline + JSON.parse, since neither CSV peer reads it
//   verify_zip_unzip_t    backup verification vs Info-ZIP `unzip -t` of the same 100k-document ZIP
//   sha256_zip_sha256sum  our SHA-256 of that ZIP vs coreutils `sha256sum`
//   export_zip_zip_r      the local backend's snapshot ZIP writer vs `zip -r` (level 6, as ours) of
//                         the same entries written as files
// Each preview pair and the ZIP's verification and SHA-256 are the best of BENCH_VS_PEERS_RUNS
// (default 3) interleaved runs; `preview_<format>_<N>mb_sha256_only=` is our SHA-256 of that file
// alone (the preview hashes every byte in plain JavaScript: Convex's runtime has no streaming hash).
// A peer command that is absent (Debian's unzip, zip, sha256sum) is skipped with a line saying so.
// BENCH_VS_PEERS_MB (comma-separated, default 20,200) and BENCH_VS_PEERS_ROWS (default 100000).
import { spawnSync } from "node:child_process";
import { createReadStream, mkdirSync, rmSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(dirname(SELF), "..");
const OUT = join(ROOT, ".local/bench/vs-peers");
const HEAP = "--max-old-space-size=64";
const RUNS = Number(process.env.BENCH_VS_PEERS_RUNS ?? 3);

const PEERS = {
  async papaparse(path) {
    const { default: Papa } = await import("papaparse");
    let rows = 0;
    await new Promise((resolve, reject) =>
      Papa.parse(createReadStream(path), {
        header: true,
        dynamicTyping: true,
        skipEmptyLines: true,
        chunk: (results) => (rows += results.data.length),
        complete: resolve,
        error: reject,
      }),
    );
    return { rows };
  },
  async "csv-parse"(path) {
    const { parse } = await import("csv-parse");
    let rows = 0;
    const parser = createReadStream(path).pipe(parse({ columns: true, cast: true, bom: true }));
    for await (const _record of parser) rows++;
    return { rows };
  },
  async "readline-json"(path) {
    let rows = 0;
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      if (line.trim() === "") continue;
      JSON.parse(line);
      rows++;
    }
    return { rows };
  },
};

if (process.argv[2] === "peer") {
  const started = performance.now();
  const counted = await PEERS[process.argv[3]](process.argv[4]);
  console.log(`ms=${Math.round(performance.now() - started)}`);
  for (const [name, value] of Object.entries(counted)) console.log(`${name}=${value}`);
  process.exit(0);
}

function parse(stdout) {
  return Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((line) => line.split("=")),
  );
}

function run(command, args, options = {}) {
  const started = performance.now();
  const child = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 24, ...options });
  const ms = performance.now() - started;
  if (child.error?.code === "ENOENT") return null;
  if (child.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${child.stderr}`);
  return { ms, out: parse(child.stdout) };
}

const { build } = await import("esbuild");
mkdirSync(OUT, { recursive: true });
const workload = join(OUT, "vs-peers.workload.mjs");
await build({
  entryPoints: [join(ROOT, "bench/vsPeers.workload.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: workload,
  logLevel: "warning",
});
const task = (...args) => run(process.execPath, [HEAP, workload, ...args]).out;
const peer = (name, path) => run(process.execPath, [HEAP, SELF, "peer", name, path]).out;

function pair(name, bytes, oursMs, peerMs) {
  const mbPerS = (ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
  console.log(`${name}_ours=${mbPerS(oursMs)}`);
  console.log(`${name}_peer=${mbPerS(peerMs)}`);
  console.log(`${name}_ratio=${(peerMs / oursMs).toFixed(2)}`);
}

console.log(
  `machine=${process.arch} ${(await import("node:os")).cpus().length} cores, load ${(await import("node:os")).loadavg()[0].toFixed(1)}, node ${process.version}`,
);
for (const mb of (process.env.BENCH_VS_PEERS_MB ?? "20,200").split(",").map(Number)) {
  for (const [format, label, peers] of [
    ["csv", "csv", ["papaparse", "csv-parse"]],
    ["jsonLines", "jsonl", ["readline-json"]],
  ]) {
    const path = join(OUT, `rows-${mb}mb.${label}`);
    task("write", format, String(mb * 1_000_000), path);
    const bytes = statSync(path).size;
    // Interleaved, best of RUNS each: the fastest run is the one the machine's noise hurt least.
    const best = { ours: Infinity, hash: Infinity };
    const theirs = Object.fromEntries(peers.map((name) => [name, Infinity]));
    let our;
    for (let round = 0; round < RUNS; round++) {
      our = task("preview", format, path);
      best.ours = Math.min(best.ours, Number(our.ms));
      best.hash = Math.min(best.hash, Number(task("sha256", path).ms));
      for (const name of peers) {
        const their = peer(name, path);
        if (Number(their.rows) !== Number(our.rows))
          console.log(`# ${name} counted ${their.rows} rows, ours ${our.rows}`);
        theirs[name] = Math.min(theirs[name], Number(their.ms));
      }
    }
    for (const name of peers) pair(`preview_${label}_${mb}mb_${name}`, bytes, best.ours, theirs[name]);
    // The SHA-256 the preview computes of every byte, alone: the floor under its speed.
    console.log(`preview_${label}_${mb}mb_sha256_only=${(bytes / 1e6 / (best.hash / 1000)).toFixed(1)}`);
    rmSync(path, { force: true });
  }
}

const rows = process.env.BENCH_VS_PEERS_ROWS ?? "100000";
const zip = join(OUT, `snapshot-${rows}.zip`);
const files = join(OUT, `snapshot-${rows}`);
const zipped = join(OUT, `zip-r-${rows}.zip`);
rmSync(files, { recursive: true, force: true });
rmSync(zipped, { force: true });
const exported = task("export", rows, zip, files);
const zipBytes = statSync(zip).size;
const zipR = run("zip", ["-r", "-q", "-6", zipped, "."], { cwd: files });
if (zipR === null) console.log("# export_zip_zip_r skipped: `zip` is not installed");
else pair("export_zip_zip_r", zipBytes, Number(exported.ms), zipR.ms);
/** Best of RUNS interleaved runs of ours and of a peer command (null when it is not installed). */
function bestOf(ours, command, args) {
  let oursMs = Infinity;
  let peerMs = Infinity;
  let out;
  for (let round = 0; round < RUNS; round++) {
    out = task(...ours);
    oursMs = Math.min(oursMs, Number(out.ms));
    const peerRun = run(command, args);
    if (peerRun === null) return { out, oursMs, peerMs: null };
    peerMs = Math.min(peerMs, peerRun.ms);
  }
  return { out, oursMs, peerMs };
}
const verified = bestOf(["verify", zip], "unzip", ["-t", "-qq", zip]);
if (verified.peerMs === null) console.log("# verify_zip_unzip_t skipped: `unzip` is not installed");
else pair("verify_zip_unzip_t", zipBytes, verified.oursMs, verified.peerMs);
const hashed = bestOf(["sha256", zip], "sha256sum", [zip]);
if (hashed.peerMs === null) console.log("# sha256_zip_sha256sum skipped: `sha256sum` is not installed");
else pair("sha256_zip_sha256sum", zipBytes, hashed.oursMs, hashed.peerMs);
console.log(`zip_bytes=${zipBytes}`);
console.log(`zip_rows=${verified.out.rows}`);
rmSync(files, { recursive: true, force: true });
rmSync(zip, { force: true });
rmSync(zipped, { force: true });
