import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { auditRows, backendWithTeam, type Backend, type Team } from "../test.helpers";
import {
  connectDeployment,
  DEPLOYMENT_URL,
  exportingDeployment,
  fakeFetch,
  releaseDeployment,
  type FakeDeployment,
} from "./fakeDeployment.helpers";
import { snapshotOf, tasks } from "../lib/snapshot/snapshotFixture.helpers";
import { STALLED_STEP_MS } from "./model/states";
import { snapshotZipChunks } from "../lib/snapshot/snapshotZip";
import { collect, concatBytes, inChunks } from "../lib/snapshot/testBytes.helpers";
import { verifySnapshotZip } from "../lib/snapshot/verify";

let t: Backend;
let team: Team;
let deployment: FakeDeployment;

beforeEach(async () => {
  ({ t, team } = await backendWithTeam());
  const zip = await collect(
    snapshotZipChunks(snapshotOf({ tasks: tasks(5), users: tasks(3, 10002), audit: tasks(2, 10003) }), {
      modifiedAt: new Date("2026-11-24T09:00:00Z"),
    }),
  );
  deployment = exportingDeployment(zip);
  await connectDeployment(team.admin, fakeFetch(t, deployment));
});

afterEach(() => {
  releaseDeployment();
  delete process.env.CONVEX_CLOUD_URL;
});

async function verifiedBackup() {
  const backupId = await team.operator.client.mutation(api.backups.backups.backupNow, {
    includeStorage: false,
  });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return backupId;
}

async function latestRestore() {
  return (await team.viewer.client.query(api.backups.restore.list, {})).restores[0]!;
}

/** An admin restores the whole deployment from `backupId`, typing its name as asked. */
async function restoreAll(backupId: Id<"backups">) {
  return await team.admin.client.mutation(api.backups.restore.restore, {
    backupId,
    confirmation: "happy-otter-123",
    mode: "replaceAll",
  });
}

async function auditActions() {
  return (await auditRows(t)).map((row) => [row.action, row.actorEmail]);
}

describe("restore", () => {
  test("takes a pre-restore backup, uploads the stored ZIP, waits for an admin to read Convex's summary, then ends with rows written", async () => {
    const backupId = await verifiedBackup();
    await restoreAll(backupId);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const waiting = await latestRestore();
    expect(waiting.status).toEqual({ state: "waiting_for_confirmation" });
    expect(waiting.messageToConfirm).toMatch(/^Import change summary:/);
    expect(deployment.confirmed).toBeUndefined();
    expect(waiting.progressAt).toBeUndefined();
    await expect(
      team.operator.client.mutation(api.backups.restore.performImport, { restoreId: waiting._id }),
    ).rejects.toThrow();
    await team.admin.client.mutation(api.backups.restore.performImport, { restoreId: waiting._id });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(deployment.confirmed).toBe(true);
    const restore = await latestRestore();
    expect(restore.status).toEqual({ state: "completed", rowsWritten: 5 });
    expect(restore.confirmedBy).toBe("admin@example.com");
    await expect(
      team.admin.client.mutation(api.backups.restore.performImport, { restoreId: restore._id }),
    ).rejects.toThrow(/not waiting for confirmation/);
    expect(deployment.finishedUpload).toEqual({
      import: { format: "zip", mode: "replaceAll" },
      uploadToken: "upload-1",
      partTokens: ["part-1"],
    });
    expect(concatBytes(deployment.uploadedParts!)).toEqual(deployment.zip);
    const backups = await team.viewer.client.query(api.backups.backups.list, {});
    expect(backups.map((b) => [b.kind, b.status.state])).toEqual([
      ["pre-restore", "verified"],
      ["manual", "verified"],
    ]);
    const actions = (await auditRows(t)).map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "restore.requested",
        "restore.awaiting_confirmation",
        "restore.import_confirmed",
        "restore.finished",
      ]),
    );
    expect(await auditActions()).toContainEqual(["restore.import_confirmed", "admin@example.com"]);
  });

  test("an admin who cancels after reading the summary changes nothing, and the deployment drops the import", async () => {
    const backupId = await verifiedBackup();
    await restoreAll(backupId);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const waiting = await latestRestore();
    await team.admin.client.mutation(api.backups.restore.cancelImport, { restoreId: waiting._id });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const restore = await latestRestore();
    expect(restore.status).toEqual({ state: "canceled", by: "admin@example.com" });
    expect(deployment.canceled).toBe(true);
    expect(deployment.confirmed).toBeUndefined();
    expect(restore.note).toBeUndefined();
    expect(await auditActions()).toContainEqual(["restore.import_canceled", "admin@example.com"]);
    await expect(
      team.admin.client.mutation(api.backups.restore.performImport, { restoreId: restore._id }),
    ).rejects.toThrow(/not waiting for confirmation/);
  });

  test("a restore whose step's action died ends failed at that step with what to do; a waiting one is left alone", async () => {
    const backupId = await verifiedBackup();
    await restoreAll(backupId);
    // The upload's action is cut off: it never reports again.
    const restoreId = (await latestRestore())._id;
    await t.run(async (ctx) => {
      await ctx.db.patch("restores", restoreId, {
        status: { state: "uploading", bytesUploaded: 5, totalBytes: 10 },
        progressAt: Date.now(),
      });
      for (const row of await ctx.db.query("backups").collect()) {
        await ctx.db.patch("backups", row._id, { status: { state: "verified" }, progressAt: undefined });
      }
    });
    vi.advanceTimersByTime(STALLED_STEP_MS - 60_000);
    await t.mutation(internal.backups.watchdog.failStalledSteps, {});
    expect((await latestRestore()).status.state).toBe("uploading");
    vi.advanceTimersByTime(2 * 60_000);
    expect(await t.mutation(internal.backups.watchdog.failStalledSteps, {})).toEqual({
      backups: 0,
      restores: 1,
    });
    const failed = await latestRestore();
    expect(failed.status).toEqual({
      state: "failed",
      step: "upload",
      reason: expect.stringMatching(/no progress for 16 minutes.*Nothing was changed on the deployment/),
    });
    expect(failed.progressAt).toBeUndefined();
    expect((await auditActions()).map(([action]) => action)).toContain("restore.stalled");
    // A late report from the dead action does not bring it back.
    expect(
      await t.mutation(internal.backups.restore.update, {
        restoreId,
        status: { state: "importing", progressMessage: "late" },
      }),
    ).toBe(false);
    expect((await latestRestore()).status.state).toBe("failed");

    await t.run(async (ctx) =>
      ctx.db.patch("restores", restoreId, {
        status: { state: "waiting_for_confirmation" },
        importId: "import-1",
      }),
    );
    vi.advanceTimersByTime(24 * 60 * 60_000);
    expect(await t.mutation(internal.backups.watchdog.failStalledSteps, {})).toEqual({
      backups: 0,
      restores: 0,
    });
  });

  test("the dialog's rows now: the console's own app tables counted, another deployment's unknown", async () => {
    expect(await team.admin.client.query(api.backups.restore.rowsNow, {})).toMatchObject({
      counted: false,
      tables: [],
    });
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
    await t.run(async (ctx) => {
      const user = (await ctx.db.query("users").first())!;
      for (let i = 0; i < 3; i++) {
        await ctx.db.insert("tasks", {
          text: `task ${i}`,
          completed: false,
          userId: user._id,
          priority: "low",
          createdAt: Date.now(),
        });
      }
    });
    expect(await team.admin.client.query(api.backups.restore.rowsNow, {})).toMatchObject({
      counted: true,
      tables: [{ table: "tasks", rows: 3, more: false }],
    });
  });

  test("into the console's own deployment, restores only the app's tables with replace", async () => {
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
    const backupId = await verifiedBackup();
    await expect(
      team.admin.client.mutation(api.backups.restore.restore, {
        backupId,
        confirmation: "happy-otter-123",
        mode: "replace",
        tables: ["tasks", "users"],
      }),
    ).rejects.toThrow(/only its app tables \(tasks\).*users cannot/);
    await restoreAll(backupId);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const restore = await latestRestore();
    expect(restore).toMatchObject({ mode: "replace", tables: ["tasks"], leftOut: ["users", "audit"] });
    expect(restore.status.state).toBe("waiting_for_confirmation");
    expect(deployment.finishedUpload).toMatchObject({ import: { format: "zip", mode: "replace" } });
    const uploaded = await verifySnapshotZip(inChunks(concatBytes(deployment.uploadedParts!), 4096), {
      expectStorage: false,
    });
    expect(uploaded.ok).toBe(true);
    expect(uploaded.tables).toEqual([{ component: "", table: "tasks", rows: 5 }]);
  });

  test("a whole-deployment restore planned for another deployment is not sent once the console is connected to itself", async () => {
    const backupId = await verifiedBackup();
    await restoreAll(backupId);
    // The connection now points at the console's own deployment, before the pre-restore backup ends.
    process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(deployment.uploadedParts ?? []).toEqual([]);
    expect((await latestRestore()).status).toMatchObject({
      state: "failed",
      step: "upload",
      reason: expect.stringMatching(/^The connected deployment is now the console itself/),
    });
  });

  test("a restore cannot start while an import into the same deployment waits for its confirmation", async () => {
    const backupId = await verifiedBackup();
    await t.run(async (ctx) => {
      await ctx.db.insert("imports", {
        fileName: "tasks.csv",
        sizeBytes: 10,
        format: "csv",
        targetTable: "tasks",
        deployment: "happy-otter-123",
        mode: "append",
        status: { state: "waiting_for_confirmation", messageToConfirm: "Import change summary:" },
        requestedBy: "operator@example.com",
        requestedById: team.operator.userId,
        requestedAt: Date.parse("2026-11-24T10:02:00Z"),
        partCount: 1,
      });
    });
    await expect(restoreAll(backupId)).rejects.toThrow(
      "An import of tasks.csv into tasks started by operator@example.com at 10:02 UTC is waiting for confirmation on happy-otter-123; wait for it or cancel it.",
    );
    expect((await team.viewer.client.query(api.backups.restore.list, {})).restores).toEqual([]);
  });

  test("under npm start (connected by the self-hosted variables to itself) the console knows it is its own deployment and restores only tasks", async () => {
    // npm start: no Settings row; the functions see the local backend through Convex's CLI variables.
    await team.admin.client.mutation(api.deployment.connection.disconnect, {});
    process.env.CONVEX_SELF_HOSTED_URL = "http://localhost:3210/";
    process.env.CONVEX_SELF_HOSTED_ADMIN_KEY = "convex-self-hosted|0123456789abcdef0123456789";
    process.env.CONVEX_CLOUD_URL = "http://127.0.0.1:3210";
    try {
      expect(await team.viewer.client.query(api.deployment.connection.status, {})).toMatchObject({
        source: "environment",
        isConsoleItself: true,
      });
      expect((await team.viewer.client.query(api.backups.restore.list, {})).appTables).toEqual(["tasks"]);
      const backupId = await t.run(async (ctx) =>
        ctx.db.insert("backups", {
          kind: "manual",
          status: { state: "verified" },
          requestedAt: Date.now() - 60_000,
          requestedBy: "operator@example.com",
          includeStorage: true,
          deployment: "127.0.0.1:3210",
          deploymentUrl: "http://localhost:3210",
          takenAt: Date.now() - 60_000,
          restorableTakenAt: Date.now() - 60_000,
          tables: ["tasks", "users", "authSessions", "audit", "backups", "backupSettings"].map((table) => ({
            component: "",
            table,
            rows: 1,
          })),
          pinned: false,
        }),
      );
      const { name } = (await team.viewer.client.query(api.deployment.connection.status, {}))!;
      await team.admin.client.mutation(api.backups.restore.restore, {
        backupId,
        confirmation: name,
        mode: "replaceAll",
      });
      expect(await latestRestore()).toMatchObject({
        mode: "replace",
        tables: ["tasks"],
        leftOut: ["users", "authSessions", "audit", "backups", "backupSettings", "_storage"],
        filtered: true,
      });
    } finally {
      delete process.env.CONVEX_SELF_HOSTED_URL;
      delete process.env.CONVEX_SELF_HOSTED_ADMIN_KEY;
    }
  });

  test("refuses without the deployment's name typed, and for a backup that is not verified", async () => {
    const backupId = await verifiedBackup();
    await expect(
      team.admin.client.mutation(api.backups.restore.restore, {
        backupId,
        confirmation: "yes",
        mode: "replaceAll",
      }),
    ).rejects.toThrow("Type happy-otter-123 to confirm");
    await t.run(async (ctx) =>
      ctx.db.patch("backups", backupId, { status: { state: "unverifiable", reason: "bad" } }),
    );
    await expect(restoreAll(backupId)).rejects.toThrow(/Only a verified backup/);
    expect((await team.viewer.client.query(api.backups.restore.list, {})).restores).toHaveLength(0);
  });
});
