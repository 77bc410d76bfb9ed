// Our side of bench/vs-peers.bench.mjs, one task per process (the driver bundles this file and
// runs it with the preview's 64 MiB heap): prints `ms=`, and what the task counted, as name=value.
//   write <csv|jsonLines> <bytes> <path>   the generated import file
//   preview <csv|jsonLines> <path>         our full import preview of it
//   export <rows> <zipPath> <dir>          the local backend's snapshot ZIP writer to zipPath (timed),
//                                          then the same entries as files under dir for `zip -r`
//   verify <zipPath>                       our backup verification
//   sha256 <path>                          our SHA-256 of the stored copy
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { previewImport } from "../convex/imports/model/preview";
import { Sha256 } from "../convex/lib/snapshot/sha256";
import { snapshotEntries, snapshotZipChunks } from "../convex/lib/snapshot/snapshotZip";
import { verifySnapshotZip } from "../convex/lib/snapshot/verify";
import { generatedSnapshot } from "./generatedDocuments";
import { generatedRows, type GeneratedFormat } from "./generatedRows";

async function* file(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 65536 }) as AsyncIterable<Buffer>)
    yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

async function writeAll(path: string, chunks: AsyncIterable<Uint8Array | string>) {
  const out = createWriteStream(path);
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return bytes;
}

async function* asChunks(data: unknown): AsyncGenerator<Uint8Array | string> {
  if (typeof data === "string" || data instanceof Uint8Array) yield data;
  else for await (const part of data as AsyncIterable<Uint8Array | string>) yield part;
}

const [task, a, b, c] = process.argv.slice(2);
const started = performance.now();
const out: Record<string, string | number> = {};
if (task === "write") {
  out.bytes = await writeAll(c!, generatedRows(a as GeneratedFormat, Number(b)));
} else if (task === "preview") {
  const preview = await previewImport(file(b!), { format: a as GeneratedFormat, tableValidator: null });
  if (preview.rejected !== null) throw new Error(preview.rejected);
  Object.assign(out, { rows: preview.rows, invalid: preview.invalidCount, bytes: preview.bytes });
} else if (task === "export") {
  out.bytes = await writeAll(b!, snapshotZipChunks(generatedSnapshot(Number(a)), { modifiedAt: new Date() }));
  out.ms = Math.round(performance.now() - started);
  for await (const entry of snapshotEntries(generatedSnapshot(Number(a)))) {
    const path = join(c!, entry.name);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof entry.data === "string") writeFileSync(path, entry.data);
    else await writeAll(path, asChunks(entry.data));
  }
} else if (task === "verify") {
  const result = await verifySnapshotZip(file(a!), { expectStorage: false });
  if (!result.ok) throw new Error(result.reason);
  Object.assign(out, { rows: result.totalRows, entries: result.entries });
} else if (task === "sha256") {
  const hash = new Sha256();
  for await (const chunk of file(a!)) hash.update(chunk);
  out.hex = [...hash.digest()].map((byte) => byte.toString(16).padStart(2, "0")).join("");
} else throw new Error(`unknown task ${task}`);
out.ms ??= Math.round(performance.now() - started);
for (const [name, value] of Object.entries(out)) console.log(`${name}=${value}`);
