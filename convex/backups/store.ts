/** Reads and writes shared by the backup functions. Every list is indexed and bounded. */
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { loadConnection } from "../deployment/read";
import { appError } from "../lib/errors";
import { getTimeZone } from "../settings/read";
import { formatUtcClock } from "../users/read";
import { DEFAULT_RETENTION, type RetentionPolicy } from "./model/retention";
import { DEFAULT_RPO_TARGET_MS } from "./model/rpo";
import type { BackupSchedule } from "./model/schedule";
import { isRestoreFinal } from "./model/restoreStates";
import { isFinal, type BackupState } from "./model/states";
import { backupName } from "./shared";

/** Backups the page lists and retention considers; far above what retention keeps. */
export const MAX_BACKUPS_LISTED = 200;

export type BackupSettings = {
  schedule: BackupSchedule;
  lastScheduledSlot: string | null;
  retention: Omit<RetentionPolicy, "timeZone">;
  rpoTargetMs: number;
  timeZone: string;
  updatedAt: number | null;
  updatedBy: string | null;
};

export async function loadBackupSettings(ctx: QueryCtx): Promise<BackupSettings> {
  const stored = await ctx.db.query("backupSettings").first();
  // The team's time zone is the runbooks' setting: one zone for every "daily" in the console.
  const timeZone = await getTimeZone(ctx);
  if (stored === null) {
    return {
      schedule: { cadence: "off" },
      lastScheduledSlot: null,
      retention: DEFAULT_RETENTION,
      rpoTargetMs: DEFAULT_RPO_TARGET_MS,
      timeZone,
      updatedAt: null,
      updatedBy: null,
    };
  }
  return {
    schedule: stored.schedule,
    lastScheduledSlot: stored.lastScheduledSlot ?? null,
    retention: {
      keepLast: stored.keepLast,
      daily: stored.daily,
      weekly: stored.weekly,
      monthly: stored.monthly,
    },
    rpoTargetMs: stored.rpoTargetMs,
    timeZone,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
  };
}

export async function saveBackupSettings(
  ctx: MutationCtx,
  change: Partial<Omit<Doc<"backupSettings">, "_id" | "_creationTime">>,
): Promise<void> {
  const stored = await ctx.db.query("backupSettings").first();
  if (stored !== null) {
    await ctx.db.patch("backupSettings", stored._id, change);
    return;
  }
  await ctx.db.insert("backupSettings", {
    schedule: { cadence: "off" },
    ...DEFAULT_RETENTION,
    rpoTargetMs: DEFAULT_RPO_TARGET_MS,
    updatedAt: Date.now(),
    updatedBy: "system",
    ...change,
  });
}

/**
 * The newest verified backup: what a restore would bring back and what the RPO is measured from.
 * For the Overview's RPO tile and the runbooks' backup evidence.
 */
export async function newestVerifiedBackup(ctx: QueryCtx): Promise<Doc<"backups"> | null> {
  return await ctx.db
    .query("backups")
    .withIndex("by_restorable", (q) => q.gt("restorableTakenAt", 0))
    .order("desc")
    .first();
}

export async function recentBackups(ctx: QueryCtx, limit = MAX_BACKUPS_LISTED): Promise<Doc<"backups">[]> {
  return await ctx.db.query("backups").withIndex("by_requested").order("desc").take(limit);
}

/** A backup still running, if any: Convex runs one export at a time, and so does the console. */
export async function runningBackup(ctx: QueryCtx): Promise<Doc<"backups"> | null> {
  const recent = await recentBackups(ctx, 20);
  return recent.find((backup) => !isFinal(backup.status as BackupState)) ?? null;
}

export async function getBackupOrThrow(ctx: QueryCtx, backupId: Id<"backups">): Promise<Doc<"backups">> {
  const backup = await ctx.db.get("backups", backupId);
  if (backup === null) throw appError("NOT_FOUND", "That backup no longer exists.");
  return backup;
}

/** Records a new backup and schedules its first step; the caller audits who asked for it. */
export async function startBackup(
  ctx: MutationCtx,
  args: { kind: Doc<"backups">["kind"]; includeStorage: boolean; requestedBy: string },
): Promise<Id<"backups">> {
  const connection = await loadConnection(ctx);
  if (connection === null) {
    throw appError(
      "NOT_FOUND",
      "No deployment is connected: an admin sets its URL and deploy key in Settings first.",
    );
  }
  const running = await runningBackup(ctx);
  if (running !== null) {
    throw appError(
      "CONFLICT",
      `A backup requested by ${running.requestedBy} is still running; Convex runs one export at a time. Wait for it to finish.`,
    );
  }
  const backupId = await ctx.db.insert("backups", {
    kind: args.kind,
    status: { state: "requested" },
    requestedAt: Date.now(),
    requestedBy: args.requestedBy,
    includeStorage: args.includeStorage,
    deployment: connection.name,
    deploymentUrl: connection.url,
    pinned: false,
    progressAt: Date.now(),
  });
  await ctx.scheduler.runAfter(0, internal.backups.flow.requestExport, { backupId });
  return backupId;
}

export async function auditBackup(
  ctx: MutationCtx,
  actor: { _id: Id<"users">; email: string } | null,
  action:
    | "backup.requested"
    | "backup.canceled"
    | "backup.verify_requested"
    | "backup.pinned"
    | "backup.unpinned"
    | "backup.deleted"
    | "backup.download_link"
    | "backup.finished"
    | "backup.retention_swept"
    | "backup.stalled"
    | "backup.export_expired",
  backup: Doc<"backups">,
  details: Record<string, string | number | boolean | null> = {},
): Promise<void> {
  await recordAudit(ctx, {
    actor,
    action,
    target: backupName(backup),
    details: { kind: backup.kind, ...details },
  });
}

/**
 * After a backup is deleted, asks its source deployment to let Convex's own copy of the export
 * expire too (best effort, in an action; the outcome is audited). Only for an export that completed
 * and that Convex still keeps; the console's copy is gone either way.
 */
export async function expireSourceExportLater(ctx: MutationCtx, backup: Doc<"backups">): Promise<void> {
  if (backup.exportStartTs === undefined || backup.takenAt === undefined) return;
  if (backup.exportExpiresAt !== undefined && backup.exportExpiresAt <= Date.now()) return;
  await ctx.scheduler.runAfter(0, internal.backups.flow.expireSourceExport, {
    exportStartTs: backup.exportStartTs,
    deploymentUrl: backup.deploymentUrl,
    backupName: backupName(backup),
  });
}

/**
 * The restore running into `deployment` (from its pre-restore backup until it ends), as the
 * sentence a refused import shows; null when there is none.
 */
export async function restoreRunningSentence(ctx: QueryCtx, deployment: string): Promise<string | null> {
  const recent = await ctx.db.query("restores").withIndex("by_requested").order("desc").take(5);
  const running = recent.find((row) => row.deployment === deployment && !isRestoreFinal(row.status.state));
  if (running === undefined) return null;
  return `A restore of ${running.tables.join(", ")} started by ${running.requestedBy} at ${formatUtcClock(running.requestedAt)} is running on ${deployment}; wait for it or cancel it.`;
}

/** Backups and restores that failed after `since` (among the latest 50 of each): the alerts' failure count. */
export async function failuresSince(ctx: QueryCtx, since: number): Promise<number> {
  const backups = await ctx.db
    .query("backups")
    .withIndex("by_requested", (q) => q.gte("requestedAt", since - DAY_FOR_FAILURES_MS))
    .order("desc")
    .take(50);
  const restores = await ctx.db
    .query("restores")
    .withIndex("by_requested", (q) => q.gte("requestedAt", since - DAY_FOR_FAILURES_MS))
    .order("desc")
    .take(50);
  const failedAfter = (row: { status: { state: string }; finishedAt?: number }) =>
    row.status.state === "failed" && (row.finishedAt ?? 0) >= since;
  return backups.filter(failedAfter).length + restores.filter(failedAfter).length;
}

/** A step fails at most a day after it was requested (the watchdog fails stalled steps far sooner). */
const DAY_FOR_FAILURES_MS = 24 * 60 * 60 * 1000;
