import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { isConsoleDeployment, loadConnection } from "../deployment/read";
import { appError } from "../lib/errors";
import { adminMutation, adminQuery, internalMutation, internalQuery, viewerQuery } from "../lib/functions";
import { APP_TABLES, planRestore } from "./model/restorePlan";
import { canMoveRestore, isRestoreFinal, restoreFailure, restoreHasRunningStep } from "./model/restoreStates";
import { stalledReason } from "./model/states";
import { backupName } from "./shared";
import { getBackupOrThrow, startBackup } from "./store";
import { restoreStateValidator } from "./tables";

const RESTORES_LISTED = 10;

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
    if (recent.some((row) => !isRestoreFinal(row.status.state))) {
      throw appError("CONFLICT", "A restore is already running: wait for it to finish.");
    }
    // One destructive operation at a time per deployment: an import in flight would mix its rows
    // into what the restore reports as the backup's.
    const importing = await ctx.runQuery(internal.imports.imports.inFlightSentence, {
      deployment: connection.name,
    });
    if (importing !== null) throw appError("CONFLICT", importing);
    const plan = planRestore({
      backupTables: (backup.tables ?? []).filter((row) => row.component === "").map((row) => row.table),
      backupHasStorage: backup.includeStorage,
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
      progressAt: Date.now(),
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

/**
 * Rows counted per app table, up to this many: enough to compare with a backup at a glance, while
 * the dialog's live query stays a bounded read.
 */
export const ROWS_NOW_LIMIT = 1000;

/**
 * What the deployment holds now, per table, for the restore dialog to set beside the backup. Only
 * the console's own deployment can be counted here (its app tables, a bounded read each); another
 * deployment's counts would need a call to it, and Convex's summary shows them before the admin
 * confirms the import, so they are reported as unknown rather than guessed.
 */
export const rowsNow = adminQuery({
  args: {},
  handler: async (ctx) => {
    const connection = await loadConnection(ctx);
    if (connection === null || !isConsoleDeployment(connection.url)) {
      return { counted: false as const, tables: [], limit: ROWS_NOW_LIMIT };
    }
    const tables = [];
    for (const table of APP_TABLES) {
      // The tasks domain exports no count; a bounded read of the app table is the cheap honest answer.
      const rows = await ctx.db.query(table as "tasks").take(ROWS_NOW_LIMIT + 1);
      tables.push({ table, rows: Math.min(rows.length, ROWS_NOW_LIMIT), more: rows.length > ROWS_NOW_LIMIT });
    }
    return { counted: true as const, tables, limit: ROWS_NOW_LIMIT };
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

/**
 * Records a restore's next state, when the state machine allows it (a late step never rewrites a
 * final or admin-held restore), and refreshes the heartbeat the watchdog reads. Audits Convex's
 * summary arriving and the restore's end. Returns false when the move was refused.
 */
export const update = internalMutation({
  args: {
    restoreId: v.id("restores"),
    status: restoreStateValidator,
    importId: v.optional(v.string()),
    messageToConfirm: v.optional(v.string()),
  },
  handler: async (ctx, args) => {
    const restore = await ctx.db.get("restores", args.restoreId);
    if (restore === null) return false;
    if (!canMoveRestore(restore.status.state, args.status.state)) return false;
    const patch: Partial<Doc<"restores">> = {
      status: args.status,
      progressAt: restoreHasRunningStep(args.status.state) ? Date.now() : undefined,
    };
    if (args.importId !== undefined) patch.importId = args.importId;
    if (args.messageToConfirm !== undefined) patch.messageToConfirm = args.messageToConfirm;
    if (isRestoreFinal(args.status.state)) patch.finishedAt = Date.now();
    await ctx.db.patch("restores", restore._id, patch);
    if (
      args.status.state === "waiting_for_confirmation" &&
      restore.status.state !== "waiting_for_confirmation"
    ) {
      await recordAudit(ctx, {
        actor: null,
        action: "restore.awaiting_confirmation",
        target: restore.deployment,
        details: {
          backup: restore.backupName,
          requestedBy: restore.requestedBy,
          importId: args.importId ?? restore.importId ?? null,
        },
      });
    }
    if (args.status.state === "completed" || args.status.state === "failed") {
      await auditFinished(ctx, restore, args.status);
    }
    return true;
  },
});

async function auditFinished(
  ctx: MutationCtx,
  restore: Doc<"restores">,
  status: Doc<"restores">["status"],
  action: "restore.finished" | "restore.stalled" = "restore.finished",
): Promise<void> {
  await recordAudit(ctx, {
    actor: null,
    action,
    target: restore.deployment,
    details: {
      backup: restore.backupName,
      requestedBy: restore.requestedBy,
      result: status.state,
      rowsWritten: status.state === "completed" ? status.rowsWritten : null,
      step: status.state === "failed" ? status.step : null,
      reason: status.state === "failed" ? status.reason : null,
    },
  });
}

async function waitingRestoreOrThrow(ctx: MutationCtx, restoreId: Id<"restores">) {
  const restore = await ctx.db.get("restores", restoreId);
  if (restore === null) throw appError("NOT_FOUND", "That restore no longer exists.");
  if (restore.status.state !== "waiting_for_confirmation" || restore.importId === undefined) {
    throw appError(
      "CONFLICT",
      "This restore is not waiting for confirmation any more: it was confirmed, canceled or has ended.",
    );
  }
  return { ...restore, importId: restore.importId };
}

/**
 * The admin read Convex's summary of what the import creates and deletes, and confirms it: Convex
 * then performs the import. Nothing on the deployment changes before this.
 */
export const performImport = adminMutation({
  args: { restoreId: v.id("restores") },
  handler: async (ctx, args) => {
    const restore = await waitingRestoreOrThrow(ctx, args.restoreId);
    await ctx.db.patch("restores", restore._id, {
      status: { state: "importing", progressMessage: `Confirmed by ${ctx.user.email}; Convex is importing…` },
      confirmedBy: ctx.user.email,
      progressAt: Date.now(),
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "restore.import_confirmed",
      target: restore.deployment,
      details: { backup: restore.backupName, importId: restore.importId, tables: restore.tables.join(", ") },
    });
    await ctx.scheduler.runAfter(0, internal.backups.restoreFlow.confirmImport, { restoreId: restore._id });
  },
});

/** The admin decided against the import after reading Convex's summary: nothing is changed. */
export const cancelImport = adminMutation({
  args: { restoreId: v.id("restores") },
  handler: async (ctx, args) => {
    const restore = await waitingRestoreOrThrow(ctx, args.restoreId);
    await ctx.db.patch("restores", restore._id, {
      status: { state: "canceled", by: ctx.user.email },
      progressAt: undefined,
      finishedAt: Date.now(),
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "restore.import_canceled",
      target: restore.deployment,
      details: { backup: restore.backupName, importId: restore.importId },
    });
    await ctx.scheduler.runAfter(0, internal.backups.restoreFlow.cancelImport, { restoreId: restore._id });
  },
});

/** Something to tell the admin about a restore after it ended (it does not change its result). */
export const note = internalMutation({
  args: { restoreId: v.id("restores"), note: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.patch("restores", args.restoreId, { note: args.note });
  },
});

/** Restores whose running step went silent, oldest first, for the watchdog. */
export async function stalledRestores(ctx: QueryCtx, cutoff: number, limit: number) {
  return await ctx.db
    .query("restores")
    .withIndex("by_progress", (q) => q.gte("progressAt", 0).lt("progressAt", cutoff))
    .take(limit);
}

/** Ends a restore whose step's action died, saying at which step and what to do. */
export async function failStalledRestore(ctx: MutationCtx, restore: Doc<"restores">, now: number) {
  const step =
    restore.status.state === "backing_up"
      ? "pre-restore backup"
      : restore.status.state === "uploading"
        ? "upload"
        : "import";
  const status = restoreFailure(step, stalledReason(now - (restore.progressAt ?? now)));
  await ctx.db.patch("restores", restore._id, { status, progressAt: undefined, finishedAt: now });
  await auditFinished(ctx, restore, status, "restore.stalled");
}
