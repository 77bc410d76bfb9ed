/**
 * The snapshot admin API at the HTTP and sync level: an export round trip (export, empty the
 * store, import replaceAll, every document back under its own id), export records that survive
 * a restart and arrive over the sync protocol with Int64 fields as bigint, one export at a time,
 * the admin key guarding every route and system query, and imports' refusals.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { BaseConvexClient } from "convex/browser";
import type { Value } from "convex/values";
import { CONVEX_README, fixtureZip, FRAMINGS } from "../../convex/lib/snapshot/asyncZipFixture.helpers.ts";
import { encodeConvexId } from "../../convex/lib/snapshot/convexId.ts";
import { encodeExportJson } from "../../convex/lib/snapshot/exportJson.ts";
import { ZipReader } from "../../convex/lib/snapshot/zipReader.ts";
import { startLocalBackend, type LocalBackend } from "./server.ts";
import { callOverHttp, FIXTURE_CONVEX, tempDir, waitFor } from "./testSupport.ts";

const ADMIN_KEY = `local|${"cd34".repeat(16)}`;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(dataDir: string | null): Promise<LocalBackend> {
  const backend = await startLocalBackend({
    convexDir: FIXTURE_CONVEX,
    port: 0,
    sitePort: 0,
    dataDir,
    runCrons: false,
    adminKey: ADMIN_KEY,
    log: () => {},
  });
  cleanups.push(() => backend.close());
  return backend;
}

const admin = { Authorization: `Convex ${ADMIN_KEY}` };

const call = (
  backend: LocalBackend,
  kind: "query" | "mutation",
  path: string,
  args: Record<string, Value> = {},
  headers: Record<string, string> = admin,
) => callOverHttp(backend.url, kind, path, args, { headers });

async function post(
  backend: LocalBackend,
  path: string,
  body?: BodyInit,
  headers: Record<string, string> = admin,
) {
  return await fetch(`${backend.url}${path}`, {
    method: "POST",
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

/** Uploads `parts` in order and finishes the upload; returns the import id. */
async function upload(backend: LocalBackend, parts: (string | Uint8Array)[], args: Record<string, unknown>) {
  const { uploadToken } = (await (await post(backend, "/api/import/start_upload")).json()) as {
    uploadToken: string;
  };
  const partTokens: unknown[] = [];
  for (const [i, part] of parts.entries()) {
    const response = await post(
      backend,
      `/api/import/upload_part?uploadToken=${uploadToken}&partNumber=${i + 1}`,
      typeof part === "string" ? part : new Uint8Array(part),
      { ...admin, "Content-Type": "application/octet-stream" },
    );
    partTokens.push(await response.json());
  }
  const finish = await post(
    backend,
    "/api/import/finish_upload",
    JSON.stringify({ import: args, uploadToken, partTokens }),
    {
      ...admin,
      "Content-Type": "application/json",
    },
  );
  return ((await finish.json()) as { importId: string }).importId;
}

/** The CLI authenticates its sync client this way; the method is internal to `convex`'s types. */
function adminAuth(client: BaseConvexClient, key: string) {
  (client as unknown as { setAdminAuth(key: string): void }).setAdminAuth(key);
}

type ImportDoc = { state: { state: string; [k: string]: Value } };
async function importState(backend: LocalBackend, importId: string, until: string[]) {
  return await waitFor(async () => {
    const doc = (await call(backend, "query", "_system/cli/queryImport", { importId })) as ImportDoc | null;
    return doc && until.includes(doc.state.state) ? doc.state : null;
  }, 20_000);
}

type Message = { _id: string; _creationTime: number; body: string };

/** Imports `zip` with replaceAll and waits for it to complete. */
async function restore(backend: LocalBackend, zip: Uint8Array) {
  const importId = await upload(backend, [zip], { format: "zip", mode: "replaceAll" });
  await importState(backend, importId, ["waiting_for_confirmation", "failed"]);
  await post(backend, "/api/perform_import", JSON.stringify({ importId }));
  expect(await importState(backend, importId, ["completed", "failed"])).toMatchObject({ state: "completed" });
}

/** Exports (with file storage) and returns the text of each entry of the downloaded ZIP by name. */
async function exportEntries(backend: LocalBackend): Promise<Map<string, string>> {
  const previous = (await call(backend, "query", "_system/cli/exports:getLatest")) as {
    start_ts?: bigint;
  } | null;
  expect((await post(backend, "/api/export/request/zip?includeStorage=true")).status).toBe(200);
  const latest = await waitFor(async () => {
    const doc = (await call(backend, "query", "_system/cli/exports:getLatest")) as Record<
      string,
      Value
    > | null;
    return doc?.state === "completed" && doc.start_ts !== previous?.start_ts ? doc : null;
  }, 20_000);
  const download = await fetch(`${backend.url}/api/export/zip/${String(latest.start_ts)}`, {
    headers: admin,
  });
  const entries = new Map<string, string>();
  const decoder = new TextDecoder();
  for await (const entry of new ZipReader(download.body!).entries()) {
    let text = "";
    for await (const chunk of entry.chunks()) text += decoder.decode(chunk, { stream: true });
    entries.set(entry.name, text);
  }
  return entries;
}

describe("restoring ZIPs framed as Convex and other writers frame them", () => {
  it("imports each framing with replaceAll: every document under its own id", async () => {
    const backend = await start(null);
    const file = (rank: number) => ({
      _id: encodeConvexId(10_050, new Uint8Array(16).fill(rank + 1)),
      _creationTime: 1715973841548 + rank,
      author: "fixture",
      body: `m${rank}`,
      rank,
    });
    for (const [n, framing] of FRAMINGS.entries()) {
      const documents = Array.from({ length: 5 + n }, (_, i) => file(i));
      const zip = fixtureZip(
        [
          { name: "README.md", data: CONVEX_README },
          { name: "_tables/documents.jsonl", data: '{"name":"messages","id":10050}\n' },
          {
            name: "messages/documents.jsonl",
            data: documents.map((d) => `${encodeExportJson(d)}\n`).join(""),
          },
          { name: "messages/generated_schema.jsonl", data: '"uniform"\n' },
        ],
        framing,
      );
      const importId = await upload(backend, [zip], { format: "zip", mode: "replaceAll" });
      await importState(backend, importId, ["waiting_for_confirmation", "failed"]);
      await post(backend, "/api/perform_import", JSON.stringify({ importId }));
      const done = await importState(backend, importId, ["completed", "failed"]);
      expect(done, framing).toMatchObject({ state: "completed", num_rows_written: BigInt(documents.length) });
      const restored = (await call(backend, "query", "messages:list")) as Message[];
      expect(restored.map((d) => d._id).sort(), framing).toEqual(documents.map((d) => d._id).sort());
    }
  });

  it("keeps each file's internalId from _storage/documents.jsonl, as Convex's importer does", async () => {
    const backend = await start(null);
    const body = "file body";
    const sha256 = createHash("sha256").update(body).digest("base64");
    const fileId = encodeConvexId(1, new Uint8Array(16).fill(9));
    const internalId = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    const zip = fixtureZip([
      { name: "README.md", data: CONVEX_README },
      { name: "_tables/documents.jsonl", data: "" },
      {
        name: "_storage/documents.jsonl",
        data: `{"_id":"${fileId}","_creationTime":1715973841001.0,"sha256":"${sha256}","size":${body.length},"contentType":"text/plain","internalId":"${internalId}"}\n`,
      },
      { name: `_storage/${fileId}.txt`, data: body },
    ]);
    await restore(backend, zip);
    const exported = (await exportEntries(backend)).get("_storage/documents.jsonl")!;
    expect(JSON.parse(exported)).toMatchObject({ _id: fileId, sha256, internalId });
  });

  it("an empty table in the ZIP still exists after replaceAll; a table not in it is deleted", async () => {
    const backend = await start(null);
    const scratch = {
      _id: encodeConvexId(10_078, new Uint8Array(16).fill(3)),
      _creationTime: 1715973841548,
      note: "x",
    };
    await restore(
      backend,
      fixtureZip([
        { name: "README.md", data: CONVEX_README },
        { name: "_tables/documents.jsonl", data: '{"name":"scratch","id":10078}\n' },
        { name: "scratch/documents.jsonl", data: `${encodeExportJson(scratch)}\n` },
        { name: "scratch/generated_schema.jsonl", data: '"uniform"\n' },
      ]),
    );
    expect((await exportEntries(backend)).get("_tables/documents.jsonl")).toContain('"scratch"');
    await restore(
      backend,
      fixtureZip([
        { name: "README.md", data: CONVEX_README },
        { name: "_tables/documents.jsonl", data: '{"name":"drafts","id":10077}\n' },
        { name: "drafts/documents.jsonl", data: "" },
        { name: "drafts/generated_schema.jsonl", data: '"uniform"\n' },
      ]),
    );
    const entries = await exportEntries(backend);
    expect(entries.get("_tables/documents.jsonl")).toContain('{"name":"drafts","id":10077}\n');
    expect(entries.get("_tables/documents.jsonl")).not.toContain('"scratch"');
    expect(entries.get("drafts/documents.jsonl")).toBe("");
  });

  it("a bare \\r ends a CSV record, as csv_async reads it", async () => {
    const backend = await start(null);
    const importId = await upload(backend, ["author,body,rank\rann,x,1\rbob,y,2\r"], {
      format: "csv",
      mode: "append",
      tableName: "messages",
    });
    await importState(backend, importId, ["waiting_for_confirmation", "failed"]);
    await post(backend, "/api/perform_import", JSON.stringify({ importId }));
    expect(await importState(backend, importId, ["completed", "failed"])).toMatchObject({
      state: "completed",
      num_rows_written: 2n,
    });
    const rows = (await call(backend, "query", "messages:list")) as (Message & { author: string })[];
    expect(rows.map((r) => [r.author, r.body]).sort()).toEqual([
      ["ann", "x"],
      ["bob", "y"],
    ]);
  });
});

describe("snapshot admin API", () => {
  it("exports, keeps the export across a restart, and restores every document under its own id", async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const data = join(dir.path, "data");
    const first = await start(data);
    for (let i = 0; i < 25; i++)
      await call(first, "mutation", "messages:send", { author: "a", body: `m${i}`, rank: i });
    await call(first, "mutation", "typed:add", {
      big: 2n ** 62n,
      raw: new Uint8Array([7]).buffer,
      ratio: 1.5,
      whole: 2,
    });

    // The CLI's way: subscribe over sync with the admin key and wait for "completed".
    const seen: Record<string, Value>[] = [];
    const sync = new BaseConvexClient(
      first.url,
      () => {
        const value = sync.localQueryResult("_system/cli/exports:getLatest", {}) as Record<
          string,
          Value
        > | null;
        if (value) seen.push(value);
      },
      { webSocketConstructor: WebSocket as never, unsavedChangesWarning: false },
    );
    cleanups.push(() => sync.close());
    adminAuth(sync, ADMIN_KEY);
    sync.subscribe("_system/cli/exports:getLatest", {});

    // One export at a time, even for two requests at once.
    const requests = await Promise.all(
      [0, 1].map(() => post(first, "/api/export/request/zip?includeStorage=false")),
    );
    expect(requests.map((r) => r.status).sort()).toEqual([200, 400]);
    const refused = requests.find((r) => r.status === 400)!;
    expect(((await refused.json()) as { code: string }).code).toBe("ExportInProgress");

    const completed = await waitFor(() => seen.find((v) => v.state === "completed"), 20_000);
    expect(typeof completed.start_ts).toBe("bigint");
    expect(typeof completed.size).toBe("bigint");
    expect(completed.expiration_ts).toBe((completed.start_ts as bigint) + 14n * 24n * 3600n * 1_000_000_000n);
    expect(seen[0]!.state === "requested" || seen[0]!.state === "in_progress").toBe(true);
    const ids = ((await call(first, "query", "messages:list")) as Message[]).map((d) => [
      d._id,
      d._creationTime,
    ]);
    await sync.close();
    await first.close();

    const second = await start(data);
    const latest = (await call(second, "query", "_system/cli/exports:getLatest")) as Record<string, Value>;
    expect(latest.state).toBe("completed");
    expect(latest.start_ts).toBe(completed.start_ts);
    const download = await fetch(`${second.url}/api/export/zip/${String(latest.start_ts)}`, {
      headers: admin,
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename=snapshot_local_${String(latest.start_ts)}.zip`,
    );
    const zip = new Uint8Array(await download.arrayBuffer());
    expect(zip.length).toBe(Number(latest.size));
    expect((await fetch(`${second.url}/api/export/zip/123`, { headers: admin })).status).toBe(404);

    // Empty the store, then restore.
    for (const [id] of ids) await call(second, "mutation", "messages:remove", { id: id! });
    expect(await call(second, "query", "messages:count")).toBe(0);
    const importId = await upload(second, [zip.subarray(0, 1000), zip.subarray(1000)], {
      format: "zip",
      mode: "replaceAll",
    });
    const waiting = await importState(second, importId, ["waiting_for_confirmation", "failed"]);
    expect(waiting.message_to_confirm).toMatch(
      /^Import change summary:\ntable +\| create \| delete +\|\n-+\n/,
    );
    expect(waiting.message_to_confirm).toContain("messages | 25     | 0 of 0 |");
    expect(waiting.message_to_confirm).toMatch(
      /Once the import has started, it will run in the background.\nInterrupting `npx convex import` will not cancel it.$/,
    );
    expect(waiting.require_manual_confirmation).toBe(true); // typed has 1 document to delete
    expect((await post(second, "/api/perform_import", JSON.stringify({ importId }))).status).toBe(200);
    const done = await importState(second, importId, ["completed", "failed"]);
    expect(done).toMatchObject({ state: "completed", num_rows_written: 26n });
    const restored = ((await call(second, "query", "messages:list")) as Message[]).map((d) => [
      d._id,
      d._creationTime,
    ]);
    expect(restored.sort()).toEqual(ids.sort());
    const typed = (await call(second, "query", "typed:list")) as { big: bigint }[];
    expect(typed.map((t) => t.big)).toEqual([2n ** 62n]);

    const cancel = await post(second, "/api/cancel_import", JSON.stringify({ importId }));
    expect(cancel.status).toBe(400);
    expect(((await cancel.json()) as { code: string }).code).toBe("CannotCancelImport");
    const list = (await call(second, "query", "_system/cli/queryImport:list")) as { _id: string }[];
    expect(list[0]!._id).toBe(importId);
  }, 60_000);

  it("guards every admin route and system query with the admin key", async () => {
    const backend = await start(null);
    const none = await post(backend, "/api/import/start_upload", undefined, {});
    expect(none.status).toBe(401);
    const wrong = await fetch(`${backend.url}/api/export/zip/1?adminKey=local|nope`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      code: "BadAdminKey",
      message: "The provided admin key was invalid for this instance",
    });
    const viaQueryParam = await post(
      backend,
      `/api/import/start_upload?adminKey=${encodeURIComponent(ADMIN_KEY)}`,
      undefined,
      {},
    );
    expect(viaQueryParam.status).toBe(200);
    const lowercase = await post(backend, "/api/import/start_upload", undefined, {
      Authorization: `convex ${ADMIN_KEY}`,
    });
    expect(lowercase.status).toBe(200);
    await expect(call(backend, "query", "_system/cli/exports:getLatest", {}, {})).rejects.toThrow(
      /system function/,
    );
    await expect(
      call(backend, "query", "_system/cli/exports:getLatest", {}, { Authorization: "Convex bad" }),
    ).rejects.toThrow(/BadAdminKey|admin key/);
    expect(await call(backend, "query", "_system/cli/exports:getLatest")).toBeNull();

    const errors: string[] = [];
    const sync = new BaseConvexClient(backend.url, () => {}, {
      webSocketConstructor: WebSocket as never,
      unsavedChangesWarning: false,
      verbose: false,
    });
    cleanups.push(() => sync.close());
    const originalError = console.error;
    adminAuth(sync, "local|wrong");
    sync.subscribe("_system/cli/exports:getLatest", {});
    console.error = (...args: unknown[]) => errors.push(args.join(" "));
    try {
      await waitFor(() => errors.some((e) => /admin key was invalid/.test(e)), 5000);
    } finally {
      console.error = originalError;
    }
  });

  it("finishes an upload once, even when two finish requests race a part still arriving", async () => {
    const backend = await start(null);
    const { uploadToken } = (await (await post(backend, "/api/import/start_upload")).json()) as {
      uploadToken: string;
    };
    let endPart!: () => void;
    const part = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"author":"a","body":"late","rank":1}\n'));
        endPart = () => controller.close();
      },
    });
    const partDone = fetch(`${backend.url}/api/import/upload_part?uploadToken=${uploadToken}&partNumber=1`, {
      method: "POST",
      headers: { ...admin, "Content-Type": "application/octet-stream" },
      body: part,
      duplex: "half",
    } as RequestInit);
    const finish = () =>
      post(
        backend,
        "/api/import/finish_upload",
        JSON.stringify({
          import: { format: "jsonLines", mode: "append", tableName: "messages" },
          uploadToken,
          partTokens: [""],
        }),
        { ...admin, "Content-Type": "application/json" },
      );
    const finishes = [finish(), finish()];
    await new Promise((resolve) => setTimeout(resolve, 200));
    endPart();
    expect((await partDone).status).toBe(200);
    const responses = await Promise.all(finishes);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 400]);
    const refused = responses.find((r) => r.status === 400)!;
    expect(((await refused.json()) as { code: string }).code).toBe("InvalidUploadToken");
    const list = (await call(backend, "query", "_system/cli/queryImport:list")) as unknown[];
    expect(list).toHaveLength(1);
  });

  it("writes nothing when the last of many rows is bad, in append (several commits) and replace", async () => {
    const backend = await start(null);
    await call(backend, "mutation", "messages:send", { author: "a", body: "kept", rank: 1 });
    const lines = Array.from({ length: 9000 }, (_, i) =>
      JSON.stringify({ author: "b", body: `r${i}`, rank: i }),
    );
    const bad = `${lines.join("\n")}\n{"author":"b","body":"last","rank":"high"}\n`;
    for (const mode of ["append", "replace"]) {
      const importId = await upload(backend, [bad], { format: "jsonLines", mode, tableName: "messages" });
      await importState(backend, importId, ["waiting_for_confirmation"]);
      await post(backend, "/api/perform_import", JSON.stringify({ importId }));
      const failed = await importState(backend, importId, ["failed", "completed"]);
      expect(failed.error_message).toMatch(/table "messages" because it does not match the schema/);
      expect(await call(backend, "query", "messages:count")).toBe(1);
    }
    const good = await upload(backend, [`${lines.join("\n")}\n`], {
      format: "jsonLines",
      mode: "append",
      tableName: "messages",
    });
    await importState(backend, good, ["waiting_for_confirmation"]);
    await post(backend, "/api/perform_import", JSON.stringify({ importId: good }));
    expect(await importState(backend, good, ["failed", "completed"])).toMatchObject({
      state: "completed",
      num_rows_written: 9000n,
    });
    expect(await call(backend, "query", "messages:count")).toBe(9001);
  }, 60_000);

  it("refuses a BOM in JSON lines and a document the schema refuses, writing nothing", async () => {
    const backend = await start(null);
    await call(backend, "mutation", "messages:send", { author: "a", body: "kept", rank: 1 });
    const bom = await upload(backend, ['\uFEFF{"author":"b","body":"x","rank":2}\n'], {
      format: "jsonLines",
      mode: "append",
      tableName: "messages",
    });
    expect(await importState(backend, bom, ["failed"])).toEqual({
      state: "failed",
      error_message:
        "Hit an error while importing:\nUTF-8 BOM is not supported. Please save your file without BOM.",
    });
    const bad = await upload(
      backend,
      ['[{"author":"b","body":"x","rank":2},{"author":"c","body":"y","rank":"high"}]'],
      {
        format: "jsonArray",
        mode: "replace",
        tableName: "messages",
      },
    );
    await importState(backend, bad, ["waiting_for_confirmation"]);
    await post(backend, "/api/perform_import", JSON.stringify({ importId: bad }));
    const failed = await importState(backend, bad, ["failed", "completed"]);
    expect(failed.state).toBe("failed");
    expect(failed.error_message).toMatch(
      /^Hit an error while importing:\nFailed to insert or update a document in table "messages"/,
    );
    expect(((await call(backend, "query", "messages:list")) as Message[]).map((d) => d.body)).toEqual([
      "kept",
    ]);
  });
});
