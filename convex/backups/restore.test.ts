import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../_generated/api";
import { newBackend, teamOfThree, type Backend } from "../test.helpers";
import {
  COMPLETED,
  DEPLOY_KEY,
  DEPLOYMENT_URL,
  IN_PROGRESS,
  fakeFetch,
  type FakeDeployment,
} from "./fakeDeployment.helpers";
import { snapshotOf, tasks } from "./model/snapshotFixture.helpers";
import { snapshotZipChunks } from "./model/snapshotZip";
import { collect, concatBytes, inChunks } from "./model/testBytes.helpers";
import { verifySnapshotZip } from "./model/verify";

let t: Backend;
let team: Awaited<ReturnType<typeof teamOfThree>>;
let deployment: FakeDeployment;

beforeEach(async () => {
  t = await newBackend();
  team = await teamOfThree(t);
  const zip = await collect(
    snapshotZipChunks(snapshotOf({ tasks: tasks(5), users: tasks(3, 10002), audit: tasks(2, 10003) }), {
      modifiedAt: new Date("2026-11-24T09:00:00Z"),
    }),
  );
  deployment = { zip, exports: [IN_PROGRESS, COMPLETED], calls: [] };
  vi.stubGlobal("fetch", fakeFetch(t, deployment));
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

describe("restore", () => {
  test("takes a pre-restore backup, uploads the stored ZIP, records Convex's summary, and ends with rows written", async () => {
    const backupId = await verifiedBackup();
    await team.admin.client.mutation(api.backups.restore.restore, {
      backupId,
      confirmation: "happy-otter-123",
      mode: "replaceAll",
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const restore = await latestRestore();
    expect(restore.status).toEqual({ state: "completed", rowsWritten: 5 });
    expect(restore.messageToConfirm).toMatch(/^Import change summary:/);
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
    const actions = await t.run(async (ctx) =>
      (await ctx.db.query("audit").collect()).map((row) => row.action),
    );
    expect(actions).toEqual(
      expect.arrayContaining(["restore.requested", "restore.import_confirmed", "restore.finished"]),
    );
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
    await team.admin.client.mutation(api.backups.restore.restore, {
      backupId,
      confirmation: "happy-otter-123",
      mode: "replaceAll",
    });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const restore = await latestRestore();
    expect(restore).toMatchObject({ mode: "replace", tables: ["tasks"], leftOut: ["users", "audit"] });
    expect(deployment.finishedUpload).toMatchObject({ import: { format: "zip", mode: "replace" } });
    const uploaded = await verifySnapshotZip(inChunks(concatBytes(deployment.uploadedParts!), 4096), {
      expectStorage: false,
    });
    expect(uploaded.ok).toBe(true);
    expect(uploaded.tables).toEqual([{ component: "", table: "tasks", rows: 5 }]);
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
    await expect(
      team.admin.client.mutation(api.backups.restore.restore, {
        backupId,
        confirmation: "happy-otter-123",
        mode: "replaceAll",
      }),
    ).rejects.toThrow(/Only a verified backup/);
    expect((await team.viewer.client.query(api.backups.restore.list, {})).restores).toHaveLength(0);
  });
});
