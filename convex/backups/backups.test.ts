import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { auditRows, backendWithTeam, type Backend, type Team } from "../test.helpers";
import {
  DEPLOY_KEY,
  DEPLOYMENT_URL,
  IN_PROGRESS,
  START_TS,
  exportDoc,
  exportingDeployment,
  fakeFetch,
  verifiedBackupRow,
  type FakeDeployment,
} from "./fakeDeployment.helpers";
import { sha256 } from "../lib/snapshot/sha256";
import { STALLED_STEP_MS } from "./model/states";
import { snapshotOf, tasks } from "../lib/snapshot/snapshotFixture.helpers";
import { snapshotZipChunks } from "../lib/snapshot/snapshotZip";
import { collect, flipByte } from "../lib/snapshot/testBytes.helpers";

async function snapshotZip(rows = 5) {
  return await collect(
    snapshotZipChunks(snapshotOf({ tasks: tasks(rows), notes: tasks(2, 10002) }), {
      modifiedAt: new Date("2026-11-24T09:00:00Z"),
    }),
  );
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

let t: Backend;
let team: Team;
let deployment: FakeDeployment;

beforeEach(async () => {
  ({ t, team } = await backendWithTeam());
  deployment = exportingDeployment(await snapshotZip());
  vi.stubGlobal("fetch", fakeFetch(t, deployment));
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function connect() {
  await team.admin.client.mutation(api.deployment.connection.setConnection, {
    url: DEPLOYMENT_URL,
    deployKey: DEPLOY_KEY,
  });
}

async function runBackup(): Promise<Id<"backups">> {
  const backupId = await team.operator.client.mutation(api.backups.backups.backupNow, {
    includeStorage: false,
  });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return backupId;
}

async function backup(backupId: Id<"backups">) {
  return (await t.run(async (ctx) => await ctx.db.get("backups", backupId)))!;
}

async function auditActions() {
  return (await auditRows(t)).map((row) => row.action);
}

describe("backup now", () => {
  test("an operator's backup runs export → copy → verify and ends verified, with its tables and digest", async () => {
    await connect();
    const backupId = await runBackup();
    const done = await backup(backupId);
    expect(done.status).toEqual({ state: "verified" });
    expect(done.kind).toBe("manual");
    expect(done.requestedBy).toBe("operator@example.com");
    expect(done.sizeBytes).toBe(deployment.zip.length);
    expect(done.sha256).toBe(hex(sha256(deployment.zip)));
    expect(done.takenAt).toBe(Number(START_TS / 1_000_000n));
    expect(done.tables).toEqual([
      { component: "", table: "tasks", rows: 5 },
      { component: "", table: "notes", rows: 2 },
    ]);
    expect(done.totalRows).toBe(7);
    const stored = await t.run(async (ctx) => await (await ctx.storage.get(done.storageId!))!.arrayBuffer());
    expect(new Uint8Array(stored)).toEqual(deployment.zip);
    expect(deployment.calls).toContain(`GET /api/export/zip/${START_TS}`);
    expect(await auditActions()).toEqual(expect.arrayContaining(["backup.requested", "backup.finished"]));
    const rpo = await team.viewer.client.query(api.backups.backups.rpo, {});
    expect(rpo.newestVerifiedAt).toBe(done.takenAt);
  });

  test("follows an export that is already running when it matches, instead of failing", async () => {
    await connect();
    deployment.requestAnswer = { status: 400, body: { code: "ExportInProgress", message: "in progress" } };
    const done = await backup(await runBackup());
    expect(done.status.state).toBe("verified");
  });

  test("an export already running with other settings fails the backup with a sentence and a remedy", async () => {
    await connect();
    deployment.requestAnswer = { status: 400, body: { code: "ExportInProgress", message: "in progress" } };
    deployment.exports = [
      exportDoc("in_progress", {
        start_ts: 1n,
        progress_message: null,
        format: { format: "zip", include_storage: true },
      }),
    ];
    const done = await backup(await runBackup());
    expect(done.status).toMatchObject({
      state: "failed",
      step: "export",
      reason: expect.stringMatching(/already running on happy-otter-123/),
      remedy: expect.stringMatching(/no other export is running/),
    });
  });

  test("a refused key fails the export and says so, without the key", async () => {
    await team.admin.client.mutation(api.deployment.connection.setConnection, {
      url: DEPLOYMENT_URL,
      deployKey: "prod:happy-otter-123|this-is-the-wrong-key-000",
    });
    const done = await backup(await runBackup());
    expect(done.status).toMatchObject({
      state: "failed",
      step: "export",
      reason: expect.stringMatching(/deploy key was refused/),
    });
    expect(JSON.stringify(done)).not.toContain("this-is-the-wrong-key");
  });

  test("a download that ends early fails the copy and keeps no partial file", async () => {
    await connect();
    deployment.claimedLength = deployment.zip.length + 100;
    const done = await backup(await runBackup());
    expect(done.status).toMatchObject({
      state: "failed",
      step: "copy",
      reason: expect.stringMatching(/ended after/),
    });
    expect(done.storageId).toBeUndefined();
    const files = await t.run(async (ctx) => await ctx.db.system.query("_storage").collect());
    expect(files).toHaveLength(0);
  });

  test("a corrupted ZIP is copied but marked unverifiable with the precise reason, and is not restorable", async () => {
    await connect();
    const corrupted = new Uint8Array(deployment.zip);
    flipByte(corrupted, 200);
    deployment.zip = corrupted;
    const done = await backup(await runBackup());
    expect(done.status.state).toBe("unverifiable");
    expect((done.status as { reason: string }).reason.length).toBeGreaterThan(10);
    const rpo = await team.viewer.client.query(api.backups.backups.rpo, {});
    expect(rpo.newestVerifiedAt).toBeNull();
  });

  test("shows Convex's progress message while exporting, and a cancel stops the export", async () => {
    await connect();
    deployment.exports = [IN_PROGRESS];
    const backupId = await team.operator.client.mutation(api.backups.backups.backupNow, {
      includeStorage: false,
    });
    for (let step = 0; step < 3; step++) {
      vi.advanceTimersByTime(2000);
      await t.finishInProgressScheduledFunctions();
    }
    expect((await backup(backupId)).status).toEqual({
      state: "exporting",
      progressMessage: "Backing up tasks: 2 / 5 documents",
    });
    await team.operator.client.mutation(api.backups.backups.cancel, { backupId });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await backup(backupId)).status).toEqual({ state: "canceled" });
    expect(deployment.calls).toContain(`POST /api/export/cancel/${START_TS - 5n}`);
  });

  test("refuses a second backup while one runs, and a backup with no deployment connected", async () => {
    await expect(
      team.operator.client.mutation(api.backups.backups.backupNow, { includeStorage: false }),
    ).rejects.toThrow(/No deployment is connected/);
    await connect();
    await team.operator.client.mutation(api.backups.backups.backupNow, { includeStorage: false });
    await expect(
      team.operator.client.mutation(api.backups.backups.backupNow, { includeStorage: false }),
    ).rejects.toThrow(/still running/);
  });
});

describe("after a backup", () => {
  test("verify again re-reads the stored copy; download hands out a one-time link on the console's site, never the deployment", async () => {
    await connect();
    const backupId = await runBackup();
    await team.operator.client.mutation(api.backups.backups.verify, { backupId });
    expect((await backup(backupId)).status.state).toBe("verifying");
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect((await backup(backupId)).status.state).toBe("verified");
    const link = await team.admin.client.mutation(api.backups.backups.downloadLink, { backupId });
    expect(link.url).toMatch(
      /^https:\/\/ops-console-test\.convex\.site\/backups\/download\?token=[0-9a-f]{64}$/,
    );
    expect(link.url).not.toContain(DEPLOYMENT_URL);
    expect(link.fileName).toMatch(/^happy-otter-123-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.zip$/);
  });

  test("delete needs the backup's name typed, refuses pinned ones, and removes the stored file", async () => {
    await connect();
    const backupId = await runBackup();
    const { name } = (await team.viewer.client.query(api.backups.backups.list, {}))[0]!;
    await team.admin.client.mutation(api.backups.backups.setPinned, { backupId, pinned: true });
    await expect(
      team.admin.client.mutation(api.backups.backups.remove, { backupId, confirmation: name }),
    ).rejects.toThrow(/pinned/);
    await team.admin.client.mutation(api.backups.backups.setPinned, { backupId, pinned: false });
    await expect(
      team.admin.client.mutation(api.backups.backups.remove, { backupId, confirmation: "yes" }),
    ).rejects.toThrow(`Type ${name}`);
    await team.admin.client.mutation(api.backups.backups.remove, { backupId, confirmation: name });
    expect(await t.run(async (ctx) => await ctx.db.get("backups", backupId))).toBeNull();
    expect(await t.run(async (ctx) => await ctx.db.system.query("_storage").collect())).toHaveLength(0);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["backup.pinned", "backup.unpinned", "backup.deleted"]),
    );
  });
});

describe("deleting a backup", () => {
  test("asks the source deployment to expire Convex's copy of the export, and audits the answer", async () => {
    vi.setSystemTime(Number(START_TS / 1_000_000n) + 60 * 60_000);
    await connect();
    const backupId = await runBackup();
    const { name } = (await team.viewer.client.query(api.backups.backups.list, {}))[0]!;
    await team.admin.client.mutation(api.backups.backups.remove, { backupId, confirmation: name });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(deployment.expirations).toEqual([
      { snapshotId: START_TS.toString(), expirationTsNs: expect.stringMatching(/^\d{19}$/) },
    ]);
    const expiresAtMs = Number(BigInt(deployment.expirations![0]!.expirationTsNs) / 1_000_000n);
    expect(expiresAtMs).toBeGreaterThan(Date.now());
    expect(expiresAtMs).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    const rows = await auditRows(t);
    expect(rows.find((row) => row.action === "backup.export_expired")?.details).toEqual({
      result: "expired",
      reason: null,
    });
  });

  test("a deployment that refuses the expiry leaves the deletion done and the refusal recorded", async () => {
    vi.setSystemTime(Number(START_TS / 1_000_000n) + 60 * 60_000);
    await connect();
    const backupId = await runBackup();
    deployment.expirationAnswer = {
      status: 400,
      body: { code: "ExportNotComplete", message: "Export is not complete" },
    };
    const { name } = (await team.viewer.client.query(api.backups.backups.list, {}))[0]!;
    await team.admin.client.mutation(api.backups.backups.remove, { backupId, confirmation: name });
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await t.run(async (ctx) => await ctx.db.get("backups", backupId))).toBeNull();
    const rows = await auditRows(t);
    expect(rows.find((row) => row.action === "backup.export_expired")?.details).toEqual({
      result: "failed",
      reason: expect.stringMatching(/Convex keeps its copy until the export's own expiry date\.$/),
    });
  });
});

describe("the watchdog", () => {
  test("a step whose action died ends failed with the step and what to do; a live one is left alone", async () => {
    await connect();
    const backupId = await team.operator.client.mutation(api.backups.backups.backupNow, {
      includeStorage: false,
    });
    // The copy's action is cut off after its last progress report.
    await t.run(async (ctx) =>
      ctx.db.patch("backups", backupId, {
        status: { state: "copying", bytesCopied: 100, totalBytes: 1000 },
        progressAt: Date.now(),
      }),
    );
    vi.advanceTimersByTime(STALLED_STEP_MS - 1000);
    expect(await t.mutation(internal.backups.watchdog.failStalledSteps, {})).toEqual({
      backups: 0,
      restores: 0,
    });
    expect((await backup(backupId)).status.state).toBe("copying");
    vi.advanceTimersByTime(2000);
    expect(await t.mutation(internal.backups.watchdog.failStalledSteps, {})).toEqual({
      backups: 1,
      restores: 0,
    });
    const failed = await backup(backupId);
    expect(failed.status).toEqual({
      state: "failed",
      step: "copy",
      reason: expect.stringMatching(/^It reported no progress for 15 minutes: its action was cut off/),
      remedy: expect.stringMatching(/take the backup again/),
    });
    expect(failed.progressAt).toBeUndefined();
    expect(await auditActions()).toContain("backup.stalled");
    // The console can take a new backup at once: the dead one no longer holds the slot.
    await team.operator.client.mutation(api.backups.backups.backupNow, { includeStorage: false });
  });

  test("progress is a heartbeat: set when a backup starts, cleared when it ends", async () => {
    await connect();
    const backupId = await team.operator.client.mutation(api.backups.backups.backupNow, {
      includeStorage: false,
    });
    const requested = await backup(backupId);
    expect(requested.progressAt).toBe(Date.now());
    vi.advanceTimersByTime(5000);
    await t.mutation(internal.backups.flow.applyEvent, {
      backupId,
      event: { type: "stepFailed", step: "export", reason: "test" },
    });
    expect((await backup(backupId)).progressAt).toBeUndefined();
    await t.run(async (ctx) =>
      ctx.db.patch("backups", backupId, { status: { state: "requested" }, progressAt: 0 }),
    );
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await backup(backupId)).toMatchObject({ status: { state: "verified" } });
    expect((await backup(backupId)).progressAt).toBeUndefined();
  });
});

describe("crons", () => {
  test("retention deletes verified backups beyond the policy with their files, keeping pinned ones", async () => {
    await team.admin.client.mutation(api.backups.backups.setPolicy, {
      keepLast: 1,
      daily: 0,
      weekly: 0,
      monthly: 0,
      rpoTargetMinutes: 60,
    });
    const ids = await t.run(async (ctx) => {
      const made = [];
      for (const [i, pinned] of [false, true, false].entries()) {
        const storageId = await ctx.storage.store(new Blob([`zip ${i}`]));
        const takenAt = Date.UTC(2026, 10, 20 + i);
        made.push(await ctx.db.insert("backups", verifiedBackupRow(takenAt, { storageId, pinned })));
      }
      return made;
    });
    expect(await t.mutation(internal.backups.cron.applyRetentionPolicy, {})).toBe(1);
    const left = await t.run(async (ctx) => (await ctx.db.query("backups").collect()).map((b) => b._id));
    expect(left.sort()).toEqual([ids[1], ids[2]].sort());
    expect(await t.run(async (ctx) => await ctx.db.system.query("_storage").collect())).toHaveLength(2);
    expect(await auditActions()).toContain("backup.retention_swept");
  });

  test("a daily schedule starts one scheduled backup in its slot", async () => {
    await connect();
    const now = new Date();
    const time = `${String(now.getUTCHours()).padStart(2, "0")}:${String(now.getUTCMinutes()).padStart(2, "0")}`;
    await team.admin.client.mutation(api.backups.backups.setSchedule, {
      schedule: { cadence: "daily", time, includeStorage: false },
    });
    vi.advanceTimersByTime(60_000);
    expect(await t.mutation(internal.backups.cron.startScheduledBackup, {})).not.toBeNull();
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await t.mutation(internal.backups.cron.startScheduledBackup, {})).toBeNull();
    const [scheduled] = await team.viewer.client.query(api.backups.backups.list, {});
    expect(scheduled).toMatchObject({
      kind: "scheduled",
      requestedBy: "schedule",
      status: { state: "verified" },
    });
  });

  test("refuses an invalid schedule or policy with a sentence", async () => {
    await expect(
      team.admin.client.mutation(api.backups.backups.setSchedule, {
        schedule: { cadence: "daily", time: "7pm", includeStorage: false },
      }),
    ).rejects.toThrow(/HH:MM/);
    await expect(
      team.admin.client.mutation(api.backups.backups.setPolicy, {
        keepLast: 0,
        daily: 7,
        weekly: 4,
        monthly: 3,
        rpoTargetMinutes: 60,
      }),
    ).rejects.toThrow(/keepLast must be at least 1/);
  });
});

describe("the deploy key", () => {
  test("no backups or deployment query ever returns it, and the audit shows it masked", async () => {
    await connect();
    await runBackup();
    await team.admin.client.mutation(api.deployment.connection.testConnection, {});
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const results = [
      await team.admin.client.query(api.deployment.connection.status, {}),
      await team.admin.client.query(api.backups.backups.list, {}),
      await team.admin.client.query(api.backups.backups.rpo, {}),
      await team.admin.client.query(api.backups.backups.settings, {}),
      await team.admin.client.query(api.audit.audit.list, {
        paginationOpts: { numItems: 100, cursor: null },
      }),
    ];
    const secret = DEPLOY_KEY.split("|")[1]!;
    for (const result of results) expect(JSON.stringify(result)).not.toContain(secret);
    const status = await team.admin.client.query(api.deployment.connection.status, {});
    expect(status).toMatchObject({ maskedKey: "••••cdef", source: "settings", name: "happy-otter-123" });
    expect(status?.test).toMatchObject({ state: "ok", sentence: expect.stringMatching(/key is accepted/) });
  });

  test("a viewer or operator cannot set or rotate it; an admin's rotation is audited", async () => {
    for (const caller of [team.viewer.client, team.operator.client]) {
      await expect(
        caller.mutation(api.deployment.connection.setConnection, {
          url: DEPLOYMENT_URL,
          deployKey: DEPLOY_KEY,
        }),
      ).rejects.toThrow(/needs the admin role/);
    }
    await connect();
    await team.admin.client.mutation(api.deployment.connection.setConnection, {
      url: DEPLOYMENT_URL,
      deployKey: "prod:happy-otter-123|rotated-key-rotated-key-9999",
    });
    const rows = await t.run(async (ctx) =>
      (await ctx.db.query("audit").collect()).filter((row) => row.action === "deployment.connection_set"),
    );
    expect(rows.map((row) => row.details)).toEqual([
      expect.objectContaining({ key: "••••cdef", rotated: false }),
      expect.objectContaining({ key: "••••9999", rotated: true }),
    ]);
  });

  test("a failed connection test is a sentence", async () => {
    await team.admin.client.mutation(api.deployment.connection.setConnection, {
      url: DEPLOYMENT_URL,
      deployKey: "prod:happy-otter-123|this-is-the-wrong-key-000",
    });
    await team.admin.client.mutation(api.deployment.connection.testConnection, {});
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    const status = await team.admin.client.query(api.deployment.connection.status, {});
    expect(status?.test).toMatchObject({
      state: "failed",
      sentence: expect.stringMatching(/deploy key was refused/),
    });
  });
});
