import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import {
  COMPLETED,
  DEPLOY_KEY,
  DEPLOYMENT_URL,
  IN_PROGRESS,
  type FakeDeployment,
} from "../backups/fakeDeployment.helpers";
import { snapshotOf, tasks } from "../backups/model/snapshotFixture.helpers";
import { snapshotZipChunks } from "../backups/model/snapshotZip";
import { collect } from "../backups/model/testBytes.helpers";
import { newBackend, teamOfThree, type Backend } from "../test.helpers";
import { fakeImportFetch, type FakeImportSide } from "./fakeImportDeployment.helpers";

let t: Backend;
let team: Awaited<ReturnType<typeof teamOfThree>>;
let side: FakeImportSide;

beforeEach(async () => {
  t = await newBackend();
  team = await teamOfThree(t);
  const zip = await collect(
    snapshotZipChunks(snapshotOf({ tasks: tasks(2) }), { modifiedAt: new Date("2026-11-24T09:00:00Z") }),
  );
  const deployment: FakeDeployment = { zip, exports: [IN_PROGRESS, COMPLETED], calls: [] };
  side = { parts: [], state: null, performed: 0, canceled: 0 };
  vi.stubGlobal("fetch", fakeImportFetch(t, deployment, side));
  vi.useFakeTimers();
  await team.admin.client.mutation(api.deployment.connection.setConnection, {
    url: DEPLOYMENT_URL,
    deployKey: DEPLOY_KEY,
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
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

/** Uploads `text` in chunks of `chunk` bytes as the browser does, then lets the preview run. */
async function upload(fileName: string, text: string, chunk = 16, client = team.operator.client) {
  const bytes = new TextEncoder().encode(text);
  const importId = await client.mutation(api.imports.imports.begin, {
    fileName,
    sizeBytes: bytes.length,
    targetTable: "tasks",
  });
  for (let offset = 0, index = 0; offset < bytes.length; offset += chunk, index++) {
    const storageId = await t.run(
      async (ctx) => await ctx.storage.store(new Blob([bytes.slice(offset, offset + chunk)])),
    );
    await client.mutation(api.imports.imports.addPart, { importId, index, storageId });
  }
  await client.mutation(api.imports.imports.finishUpload, { importId });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return importId;
}

const current = async (importId: Id<"imports">) =>
  (await team.viewer.client.query(api.imports.imports.get, { importId }))!;

async function actionsAudited() {
  const audit = await team.viewer.client.query(api.audit.trail.list, {
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
    const source = await team.operator.client.query(api.imports.imports.sourceFile, { importId });
    expect(source.urls).toHaveLength(row.partCount);
  });

  test("chunks out of order, or fewer bytes than announced, are refused", async () => {
    const importId = await team.operator.client.mutation(api.imports.imports.begin, {
      fileName: "t.jsonl",
      sizeBytes: 10,
      targetTable: "tasks",
    });
    const storageId = await t.run(async (ctx) => await ctx.storage.store(new Blob(["12345"])));
    await expect(
      team.operator.client.mutation(api.imports.imports.addPart, { importId, index: 1, storageId }),
    ).rejects.toThrow(/out of order/);
    await team.operator.client.mutation(api.imports.imports.addPart, { importId, index: 0, storageId });
    await expect(
      team.operator.client.mutation(api.imports.imports.finishUpload, { importId }),
    ).rejects.toThrow(/Only 5 of the file's 10 bytes/);
    await expect(team.admin.client.mutation(api.imports.imports.uploadUrl, { importId })).rejects.toThrow(
      /only they can continue/,
    );
  });

  test("an operator cannot destroy a file the console keeps by passing its storage id as an oversized chunk", async () => {
    // Any stored file, e.g. a backup's copy (deleting a backup is for admins only).
    const kept = await t.run(async (ctx) => await ctx.storage.store(new Blob(["a backup's bytes"])));
    const importId = await team.operator.client.mutation(api.imports.imports.begin, {
      fileName: "t.jsonl",
      sizeBytes: 1,
      targetTable: "tasks",
    });
    await expect(
      team.operator.client.mutation(api.imports.imports.addPart, { importId, index: 0, storageId: kept }),
    ).rejects.toThrow(/More bytes arrived than the file's size/);
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
    const audit = await team.viewer.client.query(api.audit.trail.list, {
      paginationOpts: { numItems: 30, cursor: null },
    });
    expect(audit.page.find((row) => row.action === "import.submitted")?.details).toMatchObject({
      mode: "append",
      typedBySchema: true,
    });
  });

  test("the same CSV with typing by the schema off: Convex's rules refuse the rows, nothing is sent", async () => {
    const user = team.operator.userId;
    const importId = await upload(
      "tasks.csv",
      `text,completed,userId,priority,createdAt\n0001,true,${user},low,1\n`,
    );
    const ready = await current(importId);
    expect(ready.preview?.invalidLines).toEqual([
      { line: 2, reason: "Field `text` is 1; the table's validator wants a string. Field `completed` is \"true\"; the table's validator wants a boolean." },
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
