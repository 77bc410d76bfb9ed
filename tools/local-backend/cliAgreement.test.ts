/**
 * Convex's own CLI agrees: the unmodified `npx convex export` / `npx convex import` from
 * node_modules, pointed at a local backend with CONVEX_SELF_HOSTED_URL and the admin key, exports
 * a ZIP that verifies as a Convex snapshot, restores it with --replace-all (every document back
 * under its own _id), appends JSON lines, replaces from CSV, and gets Convex's refusal for a
 * requireEmpty import into a non-empty table. Runs offline.
 */
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { CONVEX_README } from "../../convex/lib/snapshot/asyncZipFixture.helpers.ts";
import { verifySnapshotZip } from "../../convex/lib/snapshot/verify.ts";
import { ZipReader } from "../../convex/lib/snapshot/zipReader.ts";
import { runConvexCli, spawnBackend, tempDir, type RunningBackend } from "./testSupport.ts";

const ADMIN_KEY = `local|${"ab12".repeat(16)}`;
const m = (name: string) => makeFunctionReference<"mutation">(name);
const q = (name: string) => makeFunctionReference<"query">(name);

let backend: RunningBackend;
let dir: { path: string; remove(): void };
let client: ConvexHttpClient;

/** Runs the Convex CLI in a bare project folder (no .env.local, no CONVEX_DEPLOYMENT). */
const convexCli = (args: string[]) =>
  runConvexCli({ url: backend.url, adminKey: ADMIN_KEY, cwd: join(dir.path, "project") }, args);

async function entryText(zipPath: string, name: string): Promise<string> {
  const reader = new ZipReader(createReadStream(zipPath) as AsyncIterable<Uint8Array>);
  let text = "";
  for await (const entry of reader.entries()) {
    const decoder = new TextDecoder();
    for await (const chunk of entry.chunks())
      if (entry.name === name) text += decoder.decode(chunk, { stream: true });
  }
  return text;
}

/**
 * Decodes a ZIP's records field by field, from its end (as rc-zip, Convex's importer, does), and
 * checks each against what async_zip 0.0.18 writes for Convex; returns the entries in order.
 */
function decodeConvexFraming(zip: Buffer): { name: string; text: string }[] {
  const u16 = (at: number) => zip.readUInt16LE(at);
  const u32 = (at: number) => zip.readUInt32LE(at);
  const u64 = (at: number) => Number(zip.readBigUInt64LE(at));
  const end = zip.length - 22;
  expect([u32(end), u16(end + 20)]).toEqual([0x06054b50, 0]);
  const locator = end - 20;
  expect([u32(locator), u32(locator + 4), u32(locator + 16)]).toEqual([0x07064b50, 0, 1]);
  const end64 = u64(locator + 8);
  expect([u32(end64), u64(end64 + 4), u16(end64 + 12), u16(end64 + 14)]).toEqual([
    0x06064b50, 44, 0x033f, 46,
  ]);
  const count = u64(end64 + 32);
  let at = u64(end64 + 48);
  expect([u16(end + 8), u32(end + 12), u32(end + 16)]).toEqual([count, u64(end64 + 40), at]);
  const entries: { name: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    expect([
      u32(at),
      u16(at + 4),
      u16(at + 6),
      u16(at + 8),
      u16(at + 10),
      u16(at + 12),
      u16(at + 14),
    ]).toEqual([0x02014b50, 0x033f, 20, 0x0808, 8, 0, 0]);
    const crc = u32(at + 16);
    expect([u32(at + 20), u32(at + 24), u16(at + 30), u16(at + 32), u32(at + 38), u32(at + 42)]).toEqual([
      0xffffffff,
      0xffffffff,
      28,
      0,
      0o644 << 16,
      0xffffffff,
    ]);
    const nameLength = u16(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const extra = at + 46 + nameLength;
    expect([u16(extra), u16(extra + 2)]).toEqual([1, 24]);
    const [size, compressedSize, offset] = [u64(extra + 4), u64(extra + 12), u64(extra + 20)];
    // The local header: sizes unknown when it was written.
    expect([u32(offset), u16(offset + 4), u16(offset + 6), u16(offset + 8), u32(offset + 10)]).toEqual([
      0x04034b50, 20, 0x0808, 8, 0,
    ]);
    expect([
      u32(offset + 14),
      u32(offset + 18),
      u32(offset + 22),
      u16(offset + 26),
      u16(offset + 28),
    ]).toEqual([0, 0xffffffff, 0xffffffff, nameLength, 20]);
    const localExtra = offset + 30 + nameLength;
    expect([u16(localExtra), u16(localExtra + 2), u64(localExtra + 4), u64(localExtra + 12)]).toEqual([
      1, 16, 0, 0,
    ]);
    // The descriptor: signature, CRC-32, two 0xFFFFFFFF placeholders.
    const descriptor = localExtra + 20 + compressedSize;
    expect([u32(descriptor), u32(descriptor + 4), u32(descriptor + 8), u32(descriptor + 12)]).toEqual([
      0x08074b50,
      crc,
      0xffffffff,
      0xffffffff,
    ]);
    const data = inflateRawSync(zip.subarray(localExtra + 20, descriptor));
    expect(data.length).toBe(size);
    entries.push({ name, text: data.toString("utf8") });
    at = extra + 28;
  }
  expect(at).toBe(end64);
  return entries;
}

type Message = { _id: string; _creationTime: number; body: string; rank: number };

beforeAll(async () => {
  dir = tempDir();
  mkdirSync(join(dir.path, "project"));
  writeFileSync(
    join(dir.path, "project", "package.json"),
    JSON.stringify({ dependencies: { convex: "1.48.0" } }),
  );
  backend = await spawnBackend({
    dataDir: join(dir.path, "data"),
    crons: false,
    env: { CONVEX_SELF_HOSTED_ADMIN_KEY: ADMIN_KEY },
  });
  client = new ConvexHttpClient(backend.url);
  for (let i = 0; i < 40; i++)
    await client.mutation(m("messages:send"), { author: "a", body: `m${i}`, rank: i });
  await client.mutation(m("typed:add"), {
    big: 9007199254740993n,
    raw: new Uint8Array([0, 1, 2, 255]).buffer,
    ratio: 0.5,
    whole: 3,
  });
  const upload = await fetch(`${backend.url}/api/storage/upload`, {
    method: "POST",
    headers: { "Content-Type": "text/plain" },
    body: "file body",
  });
  const { storageId } = (await upload.json()) as { storageId: string };
  await client.mutation(m("files:save"), { storageId, name: "note" });
}, 30_000);

afterAll(async () => {
  await backend?.stop();
  dir?.remove();
});

describe("the Convex CLI against the local backend", () => {
  it("exports, restores with --replace-all, appends JSONL, replaces from CSV, refuses requireEmpty", async () => {
    const zip = join(dir.path, "snapshot.zip");
    const before = (await client.query(q("messages:list"), {})) as Message[];
    expect(before).toHaveLength(40);

    const exported = await convexCli(["export", "--include-file-storage", "--path", zip]);
    expect(exported.code, exported.output).toBe(0);
    expect(exported.output).toMatch(/Downloaded snapshot export/);

    const result = await verifySnapshotZip(createReadStream(zip) as AsyncIterable<Uint8Array>, {
      expectStorage: true,
    });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const rows = Object.fromEntries(result.tables.map((t) => [t.table, t.rows]));
    expect(rows).toMatchObject({ messages: 40, typed: 1, uploads: 1 });
    expect(result.storageFiles).toBe(1);
    // Framed as Convex frames it, in Convex's entry order, with its README, "uniform" schemas and
    // the `_storage` metadata's struct field order.
    const entries = decodeConvexFraming(readFileSync(zip));
    const names = entries.map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(["README.md", "_tables/documents.jsonl"]);
    expect(entries[0]!.text).toBe(CONVEX_README);
    const tableEntries = names.slice(2, names.indexOf("_storage/documents.jsonl"));
    for (let i = 0; i < tableEntries.length; i += 2) {
      expect(tableEntries[i]).toMatch(/^[a-zA-Z]\w*\/documents\.jsonl$/);
      expect(tableEntries[i + 1]).toBe(tableEntries[i]!.replace("documents.jsonl", "generated_schema.jsonl"));
      expect(entries[names.indexOf(tableEntries[i + 1]!)]!.text).toBe('"uniform"\n');
    }
    // Smallest table first.
    const sizes = tableEntries
      .filter((_, i) => i % 2 === 0)
      .map((name) => entries[names.indexOf(name)]!.text.split("\n").length - 1);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const storageLine = entries[names.indexOf("_storage/documents.jsonl")]!.text;
    expect(Object.keys(JSON.parse(storageLine) as object)).toEqual([
      "_id",
      "_creationTime",
      "sha256",
      "size",
      "contentType",
      "internalId",
    ]);
    expect(names.slice(names.indexOf("_storage/documents.jsonl") + 1)).toEqual([
      expect.stringMatching(/^_storage\/\w+\.txt$/),
    ]);
    // Int64 bare, Float64 with a dot, bytes as $bytes: Convex's export JSON.
    const typedLine = await entryText(zip, "typed/documents.jsonl");
    expect(typedLine).toMatch(
      /"big":9007199254740993,"ratio":0\.5,"raw":\{"\$bytes":"AAEC\/w=="\},"whole":3\.0\}\n$/,
    );

    for (const doc of before.slice(0, 10)) await client.mutation(m("messages:remove"), { id: doc._id });
    await client.mutation(m("messages:send"), { author: "z", body: "after the export", rank: 99 });

    const restored = await convexCli(["import", "--replace-all", "-y", zip]);
    expect(restored.code, restored.output).toBe(0);
    expect(restored.output).toContain("Import change summary:");
    expect(restored.output).toMatch(/messages \| 40\s+\| 31 of 31\s+\|/);
    expect(restored.output).toMatch(/Added 42 documents/);
    const after = (await client.query(q("messages:list"), {})) as Message[];
    expect(after.map((d) => [d._id, d._creationTime, d.body]).sort()).toEqual(
      before.map((d) => [d._id, d._creationTime, d.body]).sort(),
    );
    const typed = (await client.query(q("typed:list"), {})) as {
      big: bigint;
      raw: ArrayBuffer;
      whole: number;
    }[];
    expect(typed[0]!.big).toBe(9007199254740993n);
    expect([...new Uint8Array(typed[0]!.raw)]).toEqual([0, 1, 2, 255]);
    const files = (await client.query(q("files:list"), {})) as { url: string }[];
    expect(await (await fetch(files[0]!.url)).text()).toBe("file body");

    const jsonl = join(dir.path, "more.jsonl");
    writeFileSync(
      jsonl,
      '{"author":"j","body":"line 1","rank":1}\n{"author":"j","body":"line 2","rank":2}\n',
    );
    const appended = await convexCli(["import", "--append", "--table", "messages", jsonl]);
    expect(appended.code, appended.output).toBe(0);
    expect(((await client.query(q("messages:list"), {})) as Message[]).length).toBe(42);

    const csv = join(dir.path, "replace.csv");
    writeFileSync(csv, 'author,body,rank\nc,"hello, ""world""",0001\nd,plain,2.5\n');
    const replaced = await convexCli(["import", "--replace", "-y", "--table", "messages", csv]);
    expect(replaced.code, replaced.output).toBe(0);
    const csvRows = (await client.query(q("messages:list"), {})) as Message[];
    expect(csvRows.map((d) => [d.body, d.rank])).toEqual([
      ['hello, "world"', 1],
      ["plain", 2.5],
    ]);

    const refused = await convexCli(["import", "--table", "messages", jsonl]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(
      "Table messages already exists. Please choose a new table name or use replace/append modes.",
    );
    expect(((await client.query(q("messages:list"), {})) as Message[]).length).toBe(2);
  }, 60_000);

  it("refuses a wrong admin key with Convex's BadAdminKey", async () => {
    const response = await fetch(`${backend.url}/api/export/request/zip?includeStorage=false`, {
      method: "POST",
      headers: { Authorization: "Convex local|wrong" },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe("BadAdminKey");
  });
});
