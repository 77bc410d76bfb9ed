import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { makeFunctionReference } from "convex/server";
import { api, internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import {
  connectDeployment,
  DEPLOYMENT_URL,
  exportingDeployment,
  releaseDeployment,
} from "../backups/fakeDeployment.helpers";
import type { ExportObject } from "../lib/snapshot/exportJson";
import { snapshotOf, tasks, testId } from "../lib/snapshot/snapshotFixture.helpers";
import { ZipReader } from "../lib/snapshot/zipReader";
import { hashInviteToken } from "../users/model/inviteToken";
import { snapshotZipChunks } from "../lib/snapshot/snapshotZip";
import { collect } from "../lib/snapshot/testBytes.helpers";
import {
  backendWithTeam,
  signUp,
  STRONG_PASSWORD,
  TEST_SITE_URL,
  type Backend,
  type Team,
} from "../test.helpers";
import { fakeImportFetch, inOneChunk, type FakeImportSide } from "./fakeImportDeployment.helpers";

let t: Backend;
let team: Team;
let side: FakeImportSide;

beforeEach(async () => {
  ({ t, team } = await backendWithTeam());
  const zip = await collect(
    snapshotZipChunks(snapshotOf({ tasks: tasks(2) }), { modifiedAt: new Date("2026-11-24T09:00:00Z") }),
  );
  side = { parts: [], state: null, performed: 0, canceled: 0 };
  await connectDeployment(team.admin, fakeImportFetch(t, exportingDeployment(zip), side));
});

afterEach(() => {
  releaseDeployment();
  delete process.env.CONVEX_CLOUD_URL;
});

function taskLine(userId: Id<"users">, text: string) {
  return JSON.stringify({ text, completed: false, userId, priority: "low", createdAt: 1 });
}

async function existingTasks(count: number) {
  await t.run(async (ctx) => {
    for (let index = 0; index < count; index++) {
      await ctx.db.insert("tasks", {
        text: `existing ${index}`,
        completed: false,
        userId: team.operator.userId,
        priority: "high",
        createdAt: 0,
      });
    }
  });
}

const taskTexts = () =>
  t.run(async (ctx) => (await ctx.db.query("tasks").collect()).map((task) => task.text).sort());

type Client = typeof team.operator.client;

/** Posts one chunk to a fresh upload URL, as the browser does; answers the HTTP response. */
async function sendChunk(client: Client, importId: Id<"imports">, bytes: Uint8Array) {
  const url = await client.mutation(api.imports.imports.uploadUrl, { importId });
  expect(url.startsWith(`${TEST_SITE_URL}/imports/upload?token=`)).toBe(true);
  return await postChunk(url, bytes);
}

async function postChunk(url: string, bytes: Uint8Array) {
  return await t.fetch(url.slice(TEST_SITE_URL.length), {
    method: "POST",
    body: new Blob([bytes as BlobPart]),
  });
}

/** Uploads `text` in chunks of `chunk` bytes as the browser does, then lets the preview run. */
async function upload(fileName: string, text: string, chunk = 16, client = team.operator.client) {
  const bytes = new TextEncoder().encode(text);
  const importId = await client.mutation(api.imports.imports.begin, {
    fileName,
    sizeBytes: bytes.length,
    targetTable: "tasks",
  });
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    expect((await sendChunk(client, importId, bytes.slice(offset, offset + chunk))).status).toBe(200);
  }
  await client.mutation(api.imports.imports.finishUpload, { importId });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return importId;
}

const current = async (importId: Id<"imports">) =>
  (await team.viewer.client.query(api.imports.imports.get, { importId }))!;

async function actionsAudited() {
  const audit = await team.viewer.client.query(api.audit.audit.list, {
    paginationOpts: { numItems: 30, cursor: null },
  });
  return audit.page
    .map((row) => row.action)
    .filter((action) => action.startsWith("import."))
    .reverse();
}

describe("upload and preview", () => {
  test("the chunks are joined in order and previewed: rows, the bad line with its number, the digest", async () => {
    const file = [taskLine(team.operator.userId, "a"), "{broken", taskLine(team.operator.userId, "b")].join(
      "\n",
    );
    const importId = await upload("tasks.jsonl", file);
    const row = await current(importId);
    expect(row.status).toEqual({ state: "ready" });
    expect(row.partCount).toBe(Math.ceil(new TextEncoder().encode(file).length / 16));
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.preview).toMatchObject({ rows: 3, validRows: 2, invalidCount: 1 });
    expect(row.preview!.invalidLines).toEqual([
      { line: 2, reason: expect.stringMatching(/^Malformed JSON/) },
    ]);
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, { importId, mode: "append" }),
    ).rejects.toThrow(/1 invalid line/);
    expect(side.parts).toEqual([]);
    const link = await team.admin.client.mutation(api.imports.imports.sourceDownloadLink, { importId });
    const source = await t.fetch(link.url.slice(TEST_SITE_URL.length));
    expect(source.status).toBe(200);
    expect(source.headers.get("content-disposition")).toBe(
      `attachment; filename="tasks.jsonl"; filename*=UTF-8''tasks.jsonl`,
    );
    expect(await source.text()).toBe(file);
  });

  test("a chunk's URL is for one chunk in its place, by its uploader; fewer bytes than announced are refused", async () => {
    const importId = await team.operator.client.mutation(api.imports.imports.begin, {
      fileName: "t.jsonl",
      sizeBytes: 10,
      targetTable: "tasks",
    });
    const first = await team.operator.client.mutation(api.imports.imports.uploadUrl, { importId });
    const sameSlot = await team.operator.client.mutation(api.imports.imports.uploadUrl, { importId });
    expect((await postChunk(first, new TextEncoder().encode("12345"))).status).toBe(200);
    const reused = await postChunk(first, new TextEncoder().encode("67890"));
    expect(reused.status).toBe(410);
    const late = await postChunk(sameSlot, new TextEncoder().encode("67890"));
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual({ message: "Chunk 1 arrived out of order; the next expected is 2." });
    await expect(
      team.operator.client.mutation(api.imports.imports.finishUpload, { importId }),
    ).rejects.toThrow(/Only 5 of the file's 10 bytes/);
    await expect(team.admin.client.mutation(api.imports.imports.uploadUrl, { importId })).rejects.toThrow(
      /only they can continue/,
    );
    const tooMuch = await sendChunk(team.operator.client, importId, new TextEncoder().encode("678901"));
    expect(tooMuch.status).toBe(413);
    // The refused chunk is deleted; only the first one is kept.
    const stored = await t.run(async (ctx) => await ctx.db.system.query("_storage").collect());
    expect(stored).toHaveLength(1);
  });

  test("an operator cannot attach a file the console keeps (a backup's copy) as a chunk and download it", async () => {
    const backupBytes = "PK a backup's bytes";
    const kept = await t.run(async (ctx) => await ctx.storage.store(new Blob([backupBytes])));
    const importId = await team.operator.client.mutation(api.imports.imports.begin, {
      fileName: "t.jsonl",
      sizeBytes: backupBytes.length,
      targetTable: "tasks",
    });
    // The old way in: name any storage id as the next chunk.
    const addPart = makeFunctionReference<"mutation">("imports/imports:addPart");
    await team.operator.client
      .mutation(addPart, { importId, index: 0, storageId: kept })
      .catch(() => undefined);
    await team.operator.client
      .mutation(api.imports.imports.finishUpload, { importId })
      .catch(() => undefined);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const parts = await t.run(async (ctx) => await ctx.db.query("importParts").collect());
    expect(parts.map((part) => part.storageId)).not.toContain(kept);
    const row = await current(importId);
    expect(row.status.state).toBe("uploading");
    expect(await t.run(async (ctx) => await ctx.db.system.get("_storage", kept))).not.toBeNull();
  });

  test("on the console's own deployment only the app's tables are targets", async () => {
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
    await expect(
      team.operator.client.mutation(api.imports.imports.begin, {
        fileName: "u.csv",
        sizeBytes: 5,
        targetTable: "users",
      }),
    ).rejects.toThrow(/console itself: only the app's tables \(tasks\)/);
    const list = await team.viewer.client.query(api.imports.imports.list, {});
    expect(list.onlyAppTables).toBe(true);
  });
});

describe("modes", () => {
  test("append: Convex's summary is shown, the operator confirms, rows land next to the existing ones", async () => {
    await existingTasks(2);
    const importId = await upload(
      "tasks.jsonl",
      ["x", "y", "z"].map((text) => taskLine(team.operator.userId, text)).join("\n"),
    );
    await team.operator.client.mutation(api.imports.imports.submit, { importId, mode: "append" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const waiting = await current(importId);
    expect(waiting.status).toEqual({
      state: "waiting_for_confirmation",
      messageToConfirm: expect.stringMatching(/^Import change summary:\n[\s\S]*\| tasks \| 3 \| 0 of 2 \|/),
    });
    expect(side.finished).toEqual({
      import: { format: "jsonLines", mode: "append", tableName: "tasks" },
      uploadToken: "upload-1",
      partTokens: ["part-1"],
    });
    expect(side.performed).toBe(0);
    await team.operator.client.mutation(api.imports.imports.confirm, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await current(importId)).status).toEqual({ state: "completed", rowsWritten: 3 });
    expect(await taskTexts()).toEqual(["existing 0", "existing 1", "x", "y", "z"]);
    expect(await actionsAudited()).toEqual([
      "import.started",
      "import.uploaded",
      "import.submitted",
      "import.confirmed",
      "import.finished",
    ]);
  });

  test("append of a CSV typed by the tasks schema: sent as JSON Lines, booleans and digit strings land typed", async () => {
    await existingTasks(1);
    const user = team.operator.userId;
    const csv = `text,completed,userId,priority,createdAt\r\n0001,TRUE,${user},low,1\r\n"Call, then ""write""",false,${user},high,2\r\n`;
    const importId = await upload("tasks.csv", csv);
    const ready = await current(importId);
    expect(ready.schemaTypedPreview).toMatchObject({ rows: 2, validRows: 2, invalidCount: 0, warnings: [] });
    await team.operator.client.mutation(api.imports.imports.submit, {
      importId,
      mode: "append",
      typeBySchema: true,
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(side.finished?.import).toEqual({ format: "jsonLines", mode: "append", tableName: "tasks" });
    const sent = new TextDecoder().decode(new Uint8Array(side.parts.flatMap((part) => [...part])));
    expect(
      sent
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { text: "0001", completed: true, userId: user, priority: "low", createdAt: 1 },
      { text: 'Call, then "write"', completed: false, userId: user, priority: "high", createdAt: 2 },
    ]);
    await team.operator.client.mutation(api.imports.imports.confirm, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const done = await current(importId);
    expect(done).toMatchObject({ typedBySchema: true, status: { state: "completed", rowsWritten: 2 } });
    const written = await t.run(async (ctx) =>
      (await ctx.db.query("tasks").collect()).map(({ text, completed }) => ({ text, completed })),
    );
    expect(written).toEqual([
      { text: "existing 0", completed: false },
      { text: "0001", completed: true },
      { text: 'Call, then "write"', completed: false },
    ]);
    const audit = await team.viewer.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 30, cursor: null },
    });
    expect(audit.page.find((row) => row.action === "import.submitted")?.details).toMatchObject({
      mode: "append",
      typedBySchema: true,
    });
  });

  test("an email in a user column is not resolved for another deployment, whose users the console does not know", async () => {
    const importId = await upload(
      "tasks.csv",
      `text,completed,userId,priority,createdAt\na,false,operator@example.com,low,1\n`,
    );
    expect((await current(importId)).status).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/resolved only for an import into the console's own deployment/),
    });
  });

  test("a CSV naming the user by email: the preview resolves it, the user's id is sent; an unknown email is an invalid line", async () => {
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
    const operator = team.operator.userId;
    const unknown = await upload(
      "tasks.csv",
      `text,completed,userId,priority,createdAt\na,false,Operator@Example.com,low,1\nb,false,x@y.io,low,2\n`,
    );
    expect((await current(unknown)).schemaTypedPreview).toMatchObject({
      rows: 2,
      validRows: 1,
      invalidLines: [{ line: 3, reason: "Column `userId`: no user has the email x@y.io." }],
    });
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, {
        importId: unknown,
        mode: "append",
        typeBySchema: true,
      }),
    ).rejects.toThrow(/1 invalid line\(s\)/);

    const importId = await upload(
      "tasks.csv",
      `text,completed,userId,priority,createdAt\na,false,Operator@Example.com,low,1\nb,true,operator@example.com,high,2\n`,
    );
    const ready = await current(importId);
    expect(ready.schemaTypedPreview).toMatchObject({ rows: 2, validRows: 2, invalidCount: 0 });
    expect(ready.schemaTypedPreview?.warnings).toEqual([
      "2 emails in user columns resolved to the ids of 1 user; the ids are what is sent.",
    ]);
    await team.operator.client.mutation(api.imports.imports.submit, {
      importId,
      mode: "append",
      typeBySchema: true,
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    await team.operator.client.mutation(api.imports.imports.confirm, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await current(importId)).toMatchObject({ status: { state: "completed", rowsWritten: 2 } });
    const written = await t.run(async (ctx) =>
      (await ctx.db.query("tasks").collect()).map(({ text, userId }) => ({ text, userId })),
    );
    expect(written).toEqual([
      { text: "a", userId: operator },
      { text: "b", userId: operator },
    ]);
  });

  test("JSON Lines and a JSON array naming the user by email: resolved in the preview, the ids are sent", async () => {
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
    const operator = team.operator.userId;
    const line = (text: string, userId: string) =>
      JSON.stringify({ text, completed: false, userId, priority: "low", createdAt: 1 });
    const unknown = await upload(
      "tasks.jsonl",
      `${line("a", "Operator@Example.com")}\n${line("b", "x@y.io")}\n`,
    );
    expect((await current(unknown)).preview).toMatchObject({
      rows: 2,
      validRows: 1,
      invalidLines: [{ line: 2, reason: "Field `userId`: no user has the email x@y.io." }],
    });

    const files = [
      ["tasks.jsonl", `${line("a", "Operator@Example.com")}\n${line("b", operator)}\n`],
      ["tasks.json", `[\n  ${line("c", "operator@example.com")},\n  ${line("d", operator)}\n]`],
    ] as const;
    for (const [name, text] of files) {
      side.parts = [];
      const importId = await upload(name, text);
      const ready = await current(importId);
      expect(ready.preview).toMatchObject({ rows: 2, validRows: 2, invalidCount: 0 });
      expect(ready.preview?.warnings).toContain(
        "1 email in user columns resolved to the ids of 1 user; the ids are what is sent.",
      );
      await team.operator.client.mutation(api.imports.imports.submit, { importId, mode: "append" });
      await t.finishAllScheduledFunctions(vi.runAllTimers);
      await team.operator.client.mutation(api.imports.imports.confirm, { importId });
      await t.finishAllScheduledFunctions(vi.runAllTimers);
      expect(await current(importId)).toMatchObject({ status: { state: "completed", rowsWritten: 2 } });
      expect(side.finished?.import.format).toBe("jsonLines");
      // The row that named its user by id goes out as it was written.
      const sent = new TextDecoder().decode(new Uint8Array(side.parts.flatMap((part) => [...part])));
      expect(sent).toContain(line(name === "tasks.jsonl" ? "b" : "d", operator));
      expect(sent).not.toContain("@");
    }
    const written = await t.run(async (ctx) =>
      (await ctx.db.query("tasks").collect()).map(({ text, userId }) => ({ text, userId })),
    );
    expect(written).toEqual(["a", "b", "c", "d"].map((text) => ({ text, userId: operator })));
  });

  test("an email in a JSON Lines user field is not resolved for another deployment either", async () => {
    const importId = await upload(
      "tasks.jsonl",
      `${JSON.stringify({ text: "a", completed: false, userId: "operator@example.com", priority: "low", createdAt: 1 })}\n`,
    );
    expect((await current(importId)).status).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/resolved only for an import into the console's own deployment/),
    });
  });

  test("a CSV with typing by the schema off resolves the email too: only Convex's CSV rule is left to refuse", async () => {
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
    const importId = await upload(
      "tasks.csv",
      `text,completed,userId,priority,createdAt\nsome text,true,Operator@Example.com,low,1\n`,
    );
    const ready = await current(importId);
    expect(ready.preview?.invalidLines).toEqual([
      { line: 2, reason: 'Field `completed` is "true"; the table\'s validator wants a boolean.' },
    ]);
    expect(ready.preview?.warnings).toContain(
      "1 email in user columns resolved to the ids of 1 user; the ids are what is sent.",
    );
  });

  test("the same CSV with typing by the schema off: Convex's rules refuse the rows, nothing is sent", async () => {
    const user = team.operator.userId;
    const importId = await upload(
      "tasks.csv",
      `text,completed,userId,priority,createdAt\n0001,true,${user},low,1\n`,
    );
    const ready = await current(importId);
    expect(ready.preview?.invalidLines).toEqual([
      {
        line: 2,
        reason:
          "Field `text` is 1; the table's validator wants a string. Field `completed` is \"true\"; the table's validator wants a boolean.",
      },
    ]);
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, {
        importId,
        mode: "append",
        typeBySchema: false,
      }),
    ).rejects.toThrow(/1 invalid line\(s\)/);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(side.parts).toEqual([]);
    expect(await taskTexts()).toEqual([]);
  });

  test("typing by the schema is refused for a file that has no schema-typed preview (JSON Lines)", async () => {
    const importId = await upload("tasks.jsonl", taskLine(team.operator.userId, "a"));
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, {
        importId,
        mode: "append",
        typeBySchema: true,
      }),
    ).rejects.toThrow(/Only a CSV aimed at a table whose schema the console knows/);
  });

  test("requireEmpty on a non-empty table ends with Convex's refusal as a sentence, and writes nothing", async () => {
    await existingTasks(1);
    const importId = await upload("tasks.jsonl", taskLine(team.operator.userId, "new"));
    await team.operator.client.mutation(api.imports.imports.submit, { importId, mode: "requireEmpty" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await current(importId)).status).toEqual({
      state: "failed",
      step: "import",
      reason: expect.stringContaining(
        "Table tasks already exists. Please choose a new table name or use replace/append modes.",
      ),
    });
    expect(side.performed).toBe(0);
    expect(await taskTexts()).toEqual(["existing 0"]);
  });

  test("replace needs the table typed, takes a verified pre-import backup first, then replaces the rows", async () => {
    await existingTasks(2);
    const importId = await upload("tasks.jsonl", taskLine(team.operator.userId, "only"));
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, {
        importId,
        mode: "replace",
        confirmation: "task",
      }),
    ).rejects.toThrow(/Type tasks to confirm/);
    expect(await t.run(async (ctx) => await ctx.db.query("backups").collect())).toEqual([]);
    await team.operator.client.mutation(api.imports.imports.submit, {
      importId,
      mode: "replace",
      confirmation: "tasks",
    });
    expect((await current(importId)).status).toEqual({ state: "backing_up" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const row = await current(importId);
    const backup = await t.run(async (ctx) => await ctx.db.get("backups", row.preImportBackupId!));
    expect(backup).toMatchObject({
      kind: "pre-restore",
      status: { state: "verified" },
      requestedBy: "operator@example.com",
    });
    expect(row.status.state).toBe("waiting_for_confirmation");
    await team.operator.client.mutation(api.imports.imports.confirm, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await current(importId)).status).toEqual({ state: "completed", rowsWritten: 1 });
    expect(await taskTexts()).toEqual(["only"]);
  });

  test("replaceAll is for a ZIP and an admin only", async () => {
    const importId = await upload("tasks.jsonl", taskLine(team.operator.userId, "a"));
    await expect(
      team.admin.client.mutation(api.imports.imports.submit, {
        importId,
        mode: "replaceAll",
        confirmation: "tasks",
      }),
    ).rejects.toThrow(/only for a ZIP/);
  });
});

describe("one destructive operation at a time per deployment", () => {
  test("an append import submitted during a restore is refused with a sentence naming the restore", async () => {
    const backupId = await team.operator.client.mutation(api.backups.backups.backupNow, {
      includeStorage: false,
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const importId = await upload("tasks.jsonl", taskLine(team.operator.userId, "during"));
    vi.setSystemTime(new Date("2026-11-24T10:02:00Z"));
    await team.admin.client.mutation(api.backups.restore.restore, {
      backupId,
      confirmation: "happy-otter-123",
      mode: "replaceAll",
    });
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, { importId, mode: "append" }),
    ).rejects.toThrow(
      "A restore of tasks started by admin@example.com at 10:02 UTC is running on happy-otter-123; wait for it or cancel it.",
    );
    expect((await current(importId)).status).toEqual({ state: "ready" });
  });
});

describe("cancel", () => {
  test("while Convex waits for confirmation: canceled there too, nothing written", async () => {
    await existingTasks(1);
    const importId = await upload("tasks.jsonl", taskLine(team.operator.userId, "never"));
    await team.operator.client.mutation(api.imports.imports.submit, { importId, mode: "append" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    await team.operator.client.mutation(api.imports.imports.cancel, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await current(importId)).status).toEqual({ state: "canceled" });
    expect(side).toMatchObject({
      canceled: 1,
      performed: 0,
      state: { state: "failed", error_message: "Import canceled" },
    });
    expect(await taskTexts()).toEqual(["existing 0"]);
    await expect(team.operator.client.mutation(api.imports.imports.confirm, { importId })).rejects.toThrow(
      /not waiting for confirmation/,
    );
  });
});

describe("watchdog", () => {
  async function importIn(status: Doc<"imports">["status"], progressAt: number | undefined) {
    return await t.run(async (ctx) =>
      ctx.db.insert("imports", {
        fileName: "tasks.csv",
        sizeBytes: 10,
        format: "csv",
        targetTable: "tasks",
        deployment: "local",
        status,
        requestedBy: "operator@example.com",
        requestedById: team.operator.userId,
        requestedAt: 0,
        partCount: 1,
        ...(progressAt === undefined ? {} : { progressAt }),
      }),
    );
  }
  const stateOf = (importId: Id<"imports">) =>
    t.run(async (ctx) => (await ctx.db.get("imports", importId))!.status);

  test("an import whose action died is failed with what to do; live and waiting imports are left alone", async () => {
    const now = Date.now();
    const dead = await importIn({ state: "sending", bytesSent: 4 }, now - 16 * 60_000);
    const live = await importIn({ state: "importing", progressMessage: "…" }, now - 60_000);
    const waiting = await importIn(
      { state: "waiting_for_confirmation", messageToConfirm: "Import 1 row" },
      undefined,
    );
    await t.mutation(internal.imports.watchdog.failStalledImports, {});
    expect(await stateOf(dead)).toMatchObject({
      state: "failed",
      step: "upload",
      reason: expect.stringMatching(/no progress for 16 minutes/),
    });
    expect(await stateOf(live)).toMatchObject({ state: "importing" });
    expect(await stateOf(waiting)).toMatchObject({ state: "waiting_for_confirmation" });
    const audit = await t.run(async (ctx) => ctx.db.query("audit").collect());
    expect(audit.filter((row) => row.action === "import.finished")).toHaveLength(1);
  });

  test("progress is a heartbeat: set while an action works on the import, not while it waits for a person", async () => {
    const importId = await importIn({ state: "ready" }, undefined);
    const progressAt = () => t.run(async (ctx) => (await ctx.db.get("imports", importId))!.progressAt);
    await t.mutation(internal.imports.flow.advance, {
      importId,
      from: ["ready"],
      status: { state: "sending", bytesSent: 0 },
    });
    expect(await progressAt()).toBe(Date.now());
    await t.mutation(internal.imports.flow.advance, {
      importId,
      from: ["sending"],
      status: { state: "waiting_for_confirmation", messageToConfirm: "Import 1 row" },
    });
    // However long the operator takes to read Convex's summary, the watchdog leaves the import be.
    vi.advanceTimersByTime(60 * 60_000);
    await t.mutation(internal.imports.watchdog.failStalledImports, {});
    expect(await stateOf(importId)).toMatchObject({ state: "waiting_for_confirmation" });
  });
});

describe("the console's own tables are out of reach, whatever the format and mode", () => {
  const CHOSEN_TOKEN = "attacker-chosen-invite-token";

  function consoleIsConnectedToItself() {
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
  }

  async function adminInvite() {
    return {
      _id: testId(10002, 0),
      _creationTime: 1,
      email: "mallory@example.com",
      role: "admin",
      status: "pending",
      invitedBy: team.admin.userId,
      invitedByEmail: "admin@example.com",
      expiresAt: Date.now() + 86_400_000,
      tokenHash: await hashInviteToken(CHOSEN_TOKEN),
    };
  }

  const appTask = (text: string) => ({
    _id: testId(10001, 0),
    _creationTime: 1,
    text,
    completed: false,
    userId: team.operator.userId,
    priority: "low",
    createdAt: 1,
  });

  /** Uploads a snapshot ZIP as the browser does (a ZIP names its own tables), then lets the preview run. */
  async function uploadZip(tables: Record<string, ExportObject[]>, client = team.operator.client) {
    const bytes = await collect(snapshotZipChunks(snapshotOf(tables), { modifiedAt: new Date() }));
    const importId = await client.mutation(api.imports.imports.begin, {
      fileName: "snapshot.zip",
      sizeBytes: bytes.length,
    });
    expect((await sendChunk(client, importId, bytes)).status).toBe(200);
    await client.mutation(api.imports.imports.finishUpload, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    return importId;
  }

  /** What the attacker tries after the upload: send, confirm, and let every step run. */
  async function sendAndConfirm(
    importId: Id<"imports">,
    mode: "append" | "replace" | "replaceAll",
    client = team.operator.client,
  ) {
    const confirmation = mode === "append" ? undefined : "happy-otter-123";
    const refusal = await client.mutation(api.imports.imports.submit, { importId, mode, confirmation }).then(
      () => null,
      (error: Error) => error.message,
    );
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    await client.mutation(api.imports.imports.confirm, { importId }).catch(() => undefined);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    return refusal;
  }

  const sentEntries = async () => {
    const names: string[] = [];
    const sent = new Uint8Array(side.parts.flatMap((part) => [...part]));
    for await (const entry of new ZipReader(inOneChunk(sent)).entries()) {
      names.push(entry.name);
      for await (const _chunk of entry.chunks()) void _chunk;
    }
    return names;
  };

  test("a ZIP holding only an admin invite is refused, and its token signs no one up", async () => {
    consoleIsConnectedToItself();
    const importId = await uploadZip({ invites: [await adminInvite()] });
    const refusal = await sendAndConfirm(importId, "append");
    const signedUp = await signUp(t, "mallory@example.com", STRONG_PASSWORD, CHOSEN_TOKEN).then(
      () => true,
      () => false,
    );
    expect(signedUp).toBe(false);
    const invites = await t.run(async (ctx) => await ctx.db.query("invites").collect());
    expect(invites.filter((invite) => invite.email === "mallory@example.com")).toEqual([]);
    const users = await t.run(async (ctx) => await ctx.db.query("users").collect());
    expect(users.map((user) => user.email)).not.toContain("mallory@example.com");
    expect(refusal).toMatch(/only the app's tables \(tasks\).*this ZIP holds none of them/);
    expect(side.parts).toEqual([]);
  });

  test("a ZIP with tasks and an admin invite: the preview says the invite is skipped, only tasks are sent and written", async () => {
    consoleIsConnectedToItself();
    const importId = await uploadZip({ tasks: [appTask("from the zip")], invites: [await adminInvite()] });
    const ready = await current(importId);
    expect(ready.preview!.warnings[0]).toMatch(
      /^Skipped: invites\. The connected deployment is the console itself, so only the app's tables \(tasks\) are written/,
    );
    expect(await sendAndConfirm(importId, "append")).toBeNull();
    expect((await current(importId)).status).toEqual({ state: "completed", rowsWritten: 1 });
    const sent = await sentEntries();
    expect(sent).toContain("tasks/documents.jsonl");
    expect(sent.filter((name) => name.startsWith("invites/"))).toEqual([]);
    expect(await taskTexts()).toEqual(["from the zip"]);
    await expect(signUp(t, "mallory@example.com", STRONG_PASSWORD, CHOSEN_TOKEN)).rejects.toThrow();
    const invites = await t.run(async (ctx) => await ctx.db.query("invites").collect());
    expect(invites.filter((invite) => invite.email === "mallory@example.com")).toEqual([]);
  });

  test("a ZIP whose tasks name their user by email: resolved in the preview, re-packed with the ids", async () => {
    consoleIsConnectedToItself();
    const importId = await uploadZip({
      tasks: [{ ...appTask("by email"), userId: "Operator@Example.com" }],
    });
    const ready = await current(importId);
    expect(ready.preview).toMatchObject({ rows: 1, validRows: 1, invalidCount: 0 });
    expect(ready.preview?.warnings).toContain(
      "1 email in user columns resolved to the ids of 1 user; the ids are what is sent.",
    );
    expect(await sendAndConfirm(importId, "append")).toBeNull();
    expect((await current(importId)).status).toEqual({ state: "completed", rowsWritten: 1 });
    const written = await t.run(async (ctx) =>
      (await ctx.db.query("tasks").collect()).map(({ text, userId }) => ({ text, userId })),
    );
    expect(written).toEqual([{ text: "by email", userId: team.operator.userId }]);
  });

  test("a ZIP pointing deploymentConnection at the attacker's server changes nothing, with replace or replaceAll", async () => {
    consoleIsConnectedToItself();
    const evil = {
      _id: testId(10003, 0),
      _creationTime: 1,
      url: "https://attacker.example",
      updatedAt: 1,
      updatedBy: "x",
    };
    const replaced = await uploadZip({ tasks: [appTask("kept")], deploymentConnection: [evil] });
    expect(await sendAndConfirm(replaced, "replace")).toBeNull();
    const connected = await t.run(async (ctx) => await ctx.db.query("deploymentConnection").collect());
    expect(connected.map((row) => row.url)).toEqual([DEPLOYMENT_URL]);
    expect((await current(replaced)).status).toEqual({ state: "completed", rowsWritten: 1 });
    expect(await sentEntries()).not.toContain("deploymentConnection/documents.jsonl");

    side.parts = [];
    const all = await uploadZip(
      { tasks: [appTask("never")], deploymentConnection: [evil] },
      team.admin.client,
    );
    expect(await sendAndConfirm(all, "replaceAll", team.admin.client)).toMatch(
      /replaceAll would delete the console's own tables\. Choose replace/,
    );
    expect(side.parts).toEqual([]);

    const status = await team.viewer.client.query(api.deployment.connection.status, {});
    expect(status?.url).toBe(DEPLOYMENT_URL);
    const rows = await t.run(async (ctx) => await ctx.db.query("deploymentConnection").collect());
    expect(rows.map((row) => row.url)).toEqual([DEPLOYMENT_URL]);
    expect(await taskTexts()).toEqual(["kept"]);
  });

  test("a JSON Lines file aimed at authAccounts is refused when sent to the console's own deployment", async () => {
    // Uploaded while the check at the start did not see the console (another deployment, or the
    // connection changed since): the send is checked again.
    const bytes = new TextEncoder().encode(
      JSON.stringify({
        userId: team.operator.userId,
        provider: "password",
        providerAccountId: "mallory@example.com",
        secret: "x",
      }),
    );
    const importId = await team.operator.client.mutation(api.imports.imports.begin, {
      fileName: "accounts.jsonl",
      sizeBytes: bytes.length,
      targetTable: "authAccounts",
    });
    expect((await sendChunk(team.operator.client, importId, bytes)).status).toBe(200);
    await team.operator.client.mutation(api.imports.imports.finishUpload, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    consoleIsConnectedToItself();
    const refusal = await sendAndConfirm(importId, "append");
    const accounts = await t.run(async (ctx) => await ctx.db.query("authAccounts").collect());
    expect(accounts.map((account) => account.providerAccountId)).not.toContain("mallory@example.com");
    expect(refusal).toMatch(/only the app's tables \(tasks\) can be imported into\./);
    expect(side.parts).toEqual([]);
  });
});

describe("an append killed mid-way", () => {
  const fileOf = () =>
    ["a", "b", "c", "d", "e"].map((text) => taskLine(team.operator.userId, text)).join("\n");

  async function killedAppend() {
    await existingTasks(2);
    side.crashAfter = 2;
    const importId = await upload("tasks.jsonl", fileOf());
    await team.operator.client.mutation(api.imports.imports.submit, { importId, mode: "append" });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    await team.operator.client.mutation(api.imports.imports.confirm, { importId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    return importId;
  }

  test("the record says the outcome is unknown, with Convex's last progress and what the table holds now", async () => {
    const importId = await killedAppend();
    const row = await current(importId);
    expect(row.status).toEqual({
      state: "outcome_unknown",
      step: "import",
      reason: "The local backend stopped during the import.",
      lastProgress: 'Importing "tasks" (2 documents)',
      rowsReported: 2,
      rowsInFile: 5,
    });
    expect(row.tableRows).toMatchObject({ counts: [{ table: "tasks", rows: 4 }], problem: null });
    expect(await taskTexts()).toEqual(["a", "b", "existing 0", "existing 1"]);
    expect((await actionsAudited()).at(-1)).toBe("import.finished");
  });

  test("the same file is not appended again until the operator has read the warning", async () => {
    const killedId = await killedAppend();
    side.crashAfter = undefined;
    side.parts = [];
    const againId = await upload("tasks-again.jsonl", fileOf());
    expect(await team.viewer.client.query(api.imports.imports.repeatOf, { importId: againId })).toMatch(
      /^An earlier import of this same file into tasks stopped with an unknown outcome/,
    );
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, { importId: againId, mode: "append" }),
    ).rejects.toThrow(/appending again would add them twice/);
    expect(side.parts).toEqual([]);
    // Replacing the table cannot duplicate rows: no warning stands in the way.
    expect(await team.viewer.client.query(api.imports.imports.repeatOf, { importId: killedId })).toBeNull();
    await team.operator.client.mutation(api.imports.imports.submit, {
      importId: againId,
      mode: "append",
      appendAgain: true,
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await current(againId)).status.state).toBe("waiting_for_confirmation");
  });

  test("sent again in another mode without uploading again: a new import of the same stored file", async () => {
    const killedId = await killedAppend();
    side.crashAfter = undefined;
    side.parts = [];
    await expect(
      team.viewer.client.mutation(api.imports.imports.sendAgain, { importId: killedId }),
    ).rejects.toThrow(/UNAUTHORIZED|operator/i);
    const againId = await team.operator.client.mutation(api.imports.imports.sendAgain, {
      importId: killedId,
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const again = await current(againId);
    expect(again).toMatchObject({
      status: { state: "ready" },
      resentFrom: killedId,
      sha256: (await current(killedId)).sha256,
      tableRows: { counts: [{ table: "tasks", rows: 4 }] },
    });
    // replace: the table typed and a verified backup first, as for a new import.
    await expect(
      team.operator.client.mutation(api.imports.imports.submit, { importId: againId, mode: "replace" }),
    ).rejects.toThrow(/Type tasks to confirm/);
    await team.operator.client.mutation(api.imports.imports.submit, {
      importId: againId,
      mode: "replace",
      confirmation: "tasks",
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    await team.operator.client.mutation(api.imports.imports.confirm, { importId: againId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await current(againId)).status).toEqual({ state: "completed", rowsWritten: 5 });
    expect(await taskTexts()).toEqual(["a", "b", "c", "d", "e"]);
    expect(await actionsAudited()).toContain("import.sent_again");
    await expect(
      team.operator.client.mutation(api.imports.imports.sendAgain, { importId: againId }),
    ).rejects.toThrow(/did not complete/);
  });
});
