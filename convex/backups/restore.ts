import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { recordAudit } from "../audit/record";
import { isConsoleDeployment, loadConnection } from "../deployment/connection";
import { appError } from "../lib/errors";
import { adminMutation, internalMutation, internalQuery, viewerQuery } from "../lib/functions";
import { APP_TABLES, planRestore } from "./model/restorePlan";
import { backupName } from "./shared";
import { getBackupOrThrow, startBackup } from "./store";
import { restoreStateValidator } from "./tables";

const RESTORES_LISTED = 10;
const RUNNING_RESTORE_STATES = ["backing_up", "uploading", "waiting_for_confirmation", "importing"];

/** The latest restores, newest first, with their live state. */
export const list = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const restores = await ctx.db
      .query("restores")
      .withIndex("by_requested")
      .order("desc")
      .take(RESTORES_LISTED);
    return { restores, appTables: APP_TABLES };
  },
});

/**
 * Restores a verified backup into the connected deployment after the admin typed its name: a
 * pre-restore backup runs first (to verified), then the snapshot import.
 */
export const restore = adminMutation({
  args: {
    backupId: v.id("backups"),
    confirmation: v.string(),
    mode: v.union(v.literal("replaceAll"), v.literal("replace")),
    tables: v.optional(v.array(v.string())),
  },
  handler: async (ctx, args) => {
    const backup = await getBackupOrThrow(ctx, args.backupId);
    if (backup.status.state !== "verified") {
      throw appError("CONFLICT", "Only a verified backup can be restored: verify it first.");
    }
    const connection = await loadConnection(ctx);
    if (connection === null) throw appError("NOT_FOUND", "No deployment is connected to restore into.");
    if (args.confirmation.trim() !== connection.name) {
      throw appError(
        "VALIDATION_ERROR",
        `Type ${connection.name} to confirm which deployment is overwritten.`,
      );
    }
    const recent = await ctx.db.query("restores").withIndex("by_requested").order("desc").take(5);
    if (recent.some((row) => RUNNING_RESTORE_STATES.includes(row.status.state))) {
      throw appError("CONFLICT", "A restore is already running: wait for it to finish.");
    }
    const plan = planRestore({
      backupTables: (backup.tables ?? []).filter((row) => row.component === "").map((row) => row.table),
      isConsoleItself: isConsoleDeployment(connection.url),
      mode: args.mode,
      chosenTables: args.tables,
    });
    if (!plan.ok) throw appError("VALIDATION_ERROR", plan.reason);
    const preRestoreBackupId = await startBackup(ctx, {
      kind: "pre-restore",
      includeStorage: backup.includeStorage,
      requestedBy: ctx.user.email,
    });
    const restoreId = await ctx.db.insert("restores", {
      backupId: backup._id,
      backupName: backupName(backup),
      deployment: connection.name,
      mode: plan.mode,
      tables: plan.tables,
      leftOut: plan.leftOut,
      filtered: plan.filtered,
      status: { state: "backing_up" },
      requestedBy: ctx.user.email,
      requestedAt: Date.now(),
      preRestoreBackupId,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "restore.requested",
      target: connection.name,
      details: {
        backup: backupName(backup),
        mode: plan.mode,
        tables: plan.tables.join(", "),
        leftOut: plan.leftOut.join(", "),
      },
    });
    await ctx.scheduler.runAfter(0, internal.backups.restoreFlow.afterPreRestore, { restoreId, attempt: 0 });
    return restoreId;
  },
});

export const get = internalQuery({
  args: { restoreId: v.id("restores") },
  handler: async (ctx, args) => {
    const restore = await ctx.db.get("restores", args.restoreId);
    if (restore === null) return null;
    const backup = await ctx.db.get("backups", restore.backupId);
    const preRestore = restore.preRestoreBackupId
      ? await ctx.db.get("backups", restore.preRestoreBackupId)
      : null;
    return { restore, backup, preRestore };
  },
});

/** Records a restore's next state; audits its end and Convex's confirmation. */
export const update = internalMutation({
  args: {
    restoreId: v.id("restores"),
    status: restoreStateValidator,
    importId: v.optional(v.string()),
    messageToConfirm: v.optional(v.string()),
  },
  handler: async (ctx, args) => {
    const restore = await ctx.db.get("restores", args.restoreId);
    if (restore === null) return;
    const final = args.status.state === "completed" || args.status.state === "failed";
    const patch: Partial<Doc<"restores">> = { status: args.status };
    if (args.importId !== undefined) patch.importId = args.importId;
    if (args.messageToConfirm !== undefined) patch.messageToConfirm = args.messageToConfirm;
    if (final) patch.finishedAt = Date.now();
    await ctx.db.patch("restores", restore._id, patch);
    if (
      args.status.state === "waiting_for_confirmation" &&
      restore.status.state !== "waiting_for_confirmation"
    ) {
      await recordAudit(ctx, {
        actor: null,
        action: "restore.import_confirmed",
        target: restore.deployment,
        details: {
          backup: restore.backupName,
          requestedBy: restore.requestedBy,
          importId: args.importId ?? restore.importId ?? null,
        },
      });
    }
    if (final) {
      await recordAudit(ctx, {
        actor: null,
        action: "restore.finished",
        target: restore.deployment,
        details: {
          backup: restore.backupName,
          requestedBy: restore.requestedBy,
          result: args.status.state,
          rowsWritten: args.status.state === "completed" ? args.status.rowsWritten : null,
          reason: args.status.state === "failed" ? args.status.reason : null,
        },
      });
    }
  },
});
