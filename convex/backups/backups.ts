import { v } from "convex/values";
import { internal } from "../_generated/api";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation, operatorMutation, viewerQuery } from "../lib/functions";
import { issueDownloadLink } from "./download";
import { backupFileName } from "./model/downloadToken";
import { retentionPolicyProblems } from "./model/retention";
import { rpoStatus } from "./model/rpo";
import { nextSlotAt, scheduleProblems } from "./model/schedule";
import { transition, type BackupState } from "./model/states";
import { backupName } from "./shared";
import {
  auditBackup,
  expireSourceExportLater,
  getBackupOrThrow,
  loadBackupSettings,
  newestVerifiedBackup,
  recentBackups,
  saveBackupSettings,
  startBackup,
} from "./store";
import { scheduleValidator } from "./tables";

/** The backups, newest first, as the page lists them (the stored file's id stays on the server). */
export const list = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const backups = await recentBackups(ctx);
    return backups.map(({ storageId, restorableTakenAt: _restorable, ...backup }) => ({
      ...backup,
      name: backupName(backup),
      stored: storageId !== undefined,
    }));
  },
});

/** Age of the newest verified backup against the RPO target. */
export const rpo = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const settings = await loadBackupSettings(ctx);
    const newest = await newestVerifiedBackup(ctx);
    const newestVerifiedAt = newest?.takenAt ?? null;
    return {
      newestVerifiedAt,
      newestName: newest ? backupName(newest) : null,
      targetMs: settings.rpoTargetMs,
      status: rpoStatus({ newestVerifiedAt, now: Date.now(), targetMs: settings.rpoTargetMs }),
    };
  },
});

export const settings = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const settings = await loadBackupSettings(ctx);
    const { lastScheduledSlot: _slot, ...shown } = settings;
    return { ...shown, nextScheduledAt: nextSlotAt(settings.schedule, Date.now(), settings.timeZone) };
  },
});

export const backupNow = operatorMutation({
  args: { includeStorage: v.boolean() },
  handler: async (ctx, args) => {
    const backupId = await startBackup(ctx, {
      kind: "manual",
      includeStorage: args.includeStorage,
      requestedBy: ctx.user.email,
    });
    await auditBackup(ctx, ctx.user, "backup.requested", (await ctx.db.get("backups", backupId))!, {
      includeStorage: args.includeStorage,
    });
    return backupId;
  },
});

export const cancel = operatorMutation({
  args: { backupId: v.id("backups") },
  handler: async (ctx, args) => {
    const backup = await getBackupOrThrow(ctx, args.backupId);
    const state = backup.status as BackupState;
    if (state.state !== "requested" && state.state !== "exporting" && state.state !== "copying") {
      throw appError("CONFLICT", "Only a backup that is still exporting or copying can be canceled.");
    }
    await ctx.db.patch("backups", backup._id, {
      status: transition(state, { type: "canceled" }),
      finishedAt: Date.now(),
      progressAt: undefined,
    });
    if (state.state !== "copying") {
      await ctx.scheduler.runAfter(0, internal.backups.flow.cancelExport, {
        exportStartTs: backup.exportStartTs,
      });
    }
    await auditBackup(ctx, ctx.user, "backup.canceled", backup, { at: state.state });
  },
});

/** Verifies the stored copy again: every entry, line, id, row count and stored file. */
export const verify = operatorMutation({
  args: { backupId: v.id("backups") },
  handler: async (ctx, args) => {
    const backup = await getBackupOrThrow(ctx, args.backupId);
    if (backup.storageId === undefined) {
      throw appError("CONFLICT", "This backup has no stored copy to verify: it never finished copying.");
    }
    let next: BackupState;
    try {
      next = transition(backup.status as BackupState, { type: "verifyAgain" });
    } catch {
      throw appError("CONFLICT", "This backup is still running; it is verified when it finishes.");
    }
    await ctx.db.patch("backups", backup._id, {
      status: next,
      finishedAt: undefined,
      progressAt: Date.now(),
    });
    await ctx.scheduler.runAfter(0, internal.backups.flow.verifyStored, { backupId: backup._id });
    await auditBackup(ctx, ctx.user, "backup.verify_requested", backup);
  },
});

/**
 * A one-time link to the console's own copy, valid for a few minutes, handed to an admin on request
 * and audited: taking data out of a deployment is an admin action, whichever deployment it is.
 * Convex file storage URLs do not expire, so the link is to this deployment's HTTP action, which
 * streams the stored file once; only the token's hash is stored.
 */
export const downloadLink = adminMutation({
  args: { backupId: v.id("backups") },
  handler: async (ctx, args) => {
    const backup = await getBackupOrThrow(ctx, args.backupId);
    if (backup.storageId === undefined || (await ctx.db.system.get("_storage", backup.storageId)) === null) {
      throw appError("NOT_FOUND", "This backup has no stored copy to download.");
    }
    const link = await issueDownloadLink(ctx, { backupId: backup._id }, backup.sizeBytes, ctx.user.email);
    await auditBackup(ctx, ctx.user, "backup.download_link", backup, { expiresAt: link.expiresAt });
    return { ...link, fileName: backupFileName(backup) };
  },
});

export const setPinned = adminMutation({
  args: { backupId: v.id("backups"), pinned: v.boolean() },
  handler: async (ctx, args) => {
    const backup = await getBackupOrThrow(ctx, args.backupId);
    if (backup.pinned === args.pinned) return;
    await ctx.db.patch("backups", backup._id, { pinned: args.pinned });
    await auditBackup(ctx, ctx.user, args.pinned ? "backup.pinned" : "backup.unpinned", backup);
  },
});

/** Deletes a finished backup and its stored copy, after the admin typed the backup's name. */
export const remove = adminMutation({
  args: { backupId: v.id("backups"), confirmation: v.string() },
  handler: async (ctx, args) => {
    const backup = await getBackupOrThrow(ctx, args.backupId);
    const name = backupName(backup);
    if (args.confirmation.trim() !== name) {
      throw appError("VALIDATION_ERROR", `Type ${name} to confirm which backup is deleted.`);
    }
    const state = (backup.status as BackupState).state;
    if (!["verified", "unverifiable", "failed", "canceled"].includes(state)) {
      throw appError("CONFLICT", "This backup is still running: cancel it first, or wait for it to finish.");
    }
    if (backup.pinned) throw appError("CONFLICT", "This backup is pinned: unpin it before deleting it.");
    if (backup.storageId) await ctx.storage.delete(backup.storageId);
    await ctx.db.delete("backups", backup._id);
    await expireSourceExportLater(ctx, backup);
    await auditBackup(ctx, ctx.user, "backup.deleted", backup, {
      sizeBytes: backup.sizeBytes ?? null,
      sha256: backup.sha256 ?? null,
    });
  },
});

export const setSchedule = adminMutation({
  args: { schedule: scheduleValidator },
  handler: async (ctx, args) => {
    const problems = scheduleProblems(args.schedule);
    if (problems.length > 0) throw appError("VALIDATION_ERROR", problems.join(" "));
    const before = await loadBackupSettings(ctx);
    await saveBackupSettings(ctx, {
      schedule: args.schedule,
      updatedAt: Date.now(),
      updatedBy: ctx.user.email,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "backup.settings_changed",
      target: "backup schedule",
      details: {
        before: describeSchedule(before.schedule),
        after: describeSchedule(args.schedule),
        timeZone: before.timeZone,
      },
    });
  },
});

export const setPolicy = adminMutation({
  args: {
    keepLast: v.number(),
    daily: v.number(),
    weekly: v.number(),
    monthly: v.number(),
    rpoTargetMinutes: v.number(),
  },
  handler: async (ctx, args) => {
    const settings = await loadBackupSettings(ctx);
    const { rpoTargetMinutes, ...retention } = args;
    const problems = retentionPolicyProblems({ ...retention, timeZone: settings.timeZone });
    if (!Number.isInteger(rpoTargetMinutes) || rpoTargetMinutes < 5 || rpoTargetMinutes > 7 * 24 * 60) {
      problems.push("The RPO target must be a whole number of minutes from 5 to 10080 (a week).");
    }
    if (problems.length > 0) throw appError("VALIDATION_ERROR", problems.join(" "));
    await saveBackupSettings(ctx, {
      ...retention,
      rpoTargetMs: rpoTargetMinutes * 60_000,
      updatedAt: Date.now(),
      updatedBy: ctx.user.email,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "backup.settings_changed",
      target: "backup retention and RPO",
      details: {
        before: `keep ${settings.retention.keepLast}, ${settings.retention.daily}d/${settings.retention.weekly}w/${settings.retention.monthly}m, RPO ${settings.rpoTargetMs / 60_000} min`,
        after: `keep ${retention.keepLast}, ${retention.daily}d/${retention.weekly}w/${retention.monthly}m, RPO ${rpoTargetMinutes} min`,
      },
    });
  },
});

function describeSchedule(schedule: {
  cadence: string;
  time?: string;
  weekday?: number;
  includeStorage?: boolean;
}) {
  if (schedule.cadence === "off") return "off";
  const day = schedule.cadence === "weekly" ? ` on weekday ${schedule.weekday}` : "";
  return `${schedule.cadence}${day} at ${schedule.time}${schedule.includeStorage ? " with file storage" : ""}`;
}
