import { internalMutation } from "../lib/functions";
import { deleteRange } from "../lib/sweep";
import { applyRetention } from "./model/retention";
import { dueSlot } from "./model/schedule";
import { retentionOutcome, type BackupState } from "./model/states";
import {
  auditBackup,
  expireSourceExportLater,
  loadBackupSettings,
  recentBackups,
  runningBackup,
  saveBackupSettings,
  startBackup,
} from "./store";

/** Starts the scheduled backup when its slot in the team's time zone has come. */
export const startScheduledBackup = internalMutation({
  args: {},
  handler: async (ctx) => {
    const settings = await loadBackupSettings(ctx);
    const slot = dueSlot(settings.schedule, Date.now(), settings.timeZone, settings.lastScheduledSlot);
    if (slot === null || settings.schedule.cadence === "off") return null;
    // A running backup holds Convex's one export: try again on the next tick, within the slot's window.
    if ((await runningBackup(ctx)) !== null) return null;
    await saveBackupSettings(ctx, { lastScheduledSlot: slot });
    try {
      const backupId = await startBackup(ctx, {
        kind: "scheduled",
        includeStorage: settings.schedule.includeStorage,
        requestedBy: "schedule",
      });
      await auditBackup(ctx, null, "backup.requested", (await ctx.db.get("backups", backupId))!, { slot });
      return backupId;
    } catch {
      // No deployment connected: nothing to back up; the page says how to connect one.
      return null;
    }
  },
});

/**
 * Deletes the backups the retention policy no longer keeps, with their stored copies, and the
 * expired download links.
 */
export const applyRetentionPolicy = internalMutation({
  args: {},
  handler: async (ctx) => {
    const settings = await loadBackupSettings(ctx);
    const backups = await recentBackups(ctx);
    const decision = applyRetention(
      backups.map((backup) => ({
        id: backup._id,
        takenAt: backup.takenAt ?? backup.requestedAt,
        outcome: retentionOutcome(backup.status as BackupState),
        pinned: backup.pinned,
      })),
      { ...settings.retention, timeZone: settings.timeZone },
    );
    for (const { id, reason } of decision.delete) {
      const backup = backups.find((candidate) => candidate._id === id)!;
      if (backup.storageId) await ctx.storage.delete(backup.storageId);
      await ctx.db.delete("backups", backup._id);
      await expireSourceExportLater(ctx, backup);
      await auditBackup(ctx, null, "backup.retention_swept", backup, { reason });
    }
    // Expired download links (used or not), one chunk an hour: that keeps up with any realistic
    // rate of downloads, so this sweep does not reschedule itself.
    const now = Date.now();
    await deleteRange(ctx, "backupDownloadTokens", (q) =>
      q.withIndex("by_expires", (r) => r.lte("expiresAt", now)),
    );
    return decision.delete.length;
  },
});
