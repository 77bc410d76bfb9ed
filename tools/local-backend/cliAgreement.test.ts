/**
 * Convex's own CLI agrees: the unmodified `npx convex export` / `npx convex import` from
 * node_modules, pointed at a local backend with CONVEX_SELF_HOSTED_URL and the admin key, exports
 * a ZIP that verifies as a Convex snapshot, restores it with --replace-all (every document back
 * under its own _id), appends JSON lines, replaces from CSV, and gets Convex's refusal for a
 * requireEmpty import into a non-empty table. Runs offline.
 */
import { spawn } from "node:child_process";
import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { verifySnapshotZip } from "../../convex/backups/model/verify.ts";
import { ZipReader } from "../../convex/backups/model/zipReader.ts";
import { spawnBackend, tempDir, type RunningBackend } from "./testSupport.ts";

const CLI = join(import.meta.dirname, "..", "..", "node_modules", "convex", "bin", "main.js");
const ADMIN_KEY = `local|${"ab12".repeat(16)}`;
const m = (name: string) => makeFunctionReference<"mutation">(name);
const q = (name: string) => makeFunctionReference<"query">(name);

let backend: RunningBackend;
let dir: { path: string; remove(): void };
let client: ConvexHttpClient;

/** Runs the Convex CLI in a bare project folder (no .env.local, no CONVEX_DEPLOYMENT). */
function convexCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("CONVEX_")) env[k] = v;
  Object.assign(env, {
    CI: "1",
    CONVEX_SELF_HOSTED_URL: backend.url,
    CONVEX_SELF_HOSTED_ADMIN_KEY: ADMIN_KEY,
  });
  const child = spawn(process.execPath, [CLI, ...args], { cwd: join(dir.path, "project"), env });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

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
