import { defineTable } from "convex/server";
import { v } from "convex/values";

const stepValidator = v.union(v.literal("export"), v.literal("copy"), v.literal("verify"));

/** The backup state machine's states, as stored (see model/states.ts for the transitions). */
export const backupStateValidator = v.union(
  v.object({ state: v.literal("requested") }),
  v.object({ state: v.literal("exporting"), progressMessage: v.union(v.string(), v.null()) }),
  v.object({
    state: v.literal("copying"),
    bytesCopied: v.number(),
    totalBytes: v.union(v.number(), v.null()),
  }),
  v.object({ state: v.literal("verifying") }),
  v.object({ state: v.literal("verified") }),
  v.object({ state: v.literal("unverifiable"), reason: v.string() }),
  v.object({ state: v.literal("failed"), step: stepValidator, reason: v.string(), remedy: v.string() }),
  v.object({ state: v.literal("canceled") }),
);

export const backupKindValidator = v.union(
  v.literal("manual"),
  v.literal("scheduled"),
  v.literal("pre-restore"),
);

export const tableRowsValidator = v.object({ component: v.string(), table: v.string(), rows: v.number() });

/** What a backup learns step by step (the export, the stored copy, its check): absent until then. */
export const backupFindingsFields = {
  /** Convex's snapshot timestamp in nanoseconds, as decimal digits (an i64). */
  exportStartTs: v.optional(v.string()),
  /** When the snapshot was taken (ms): the point in time a restore brings back. */
  takenAt: v.optional(v.number()),
  /** When Convex deletes its own copy of the export (ms). */
  exportExpiresAt: v.optional(v.number()),
  storageId: v.optional(v.id("_storage")),
  sizeBytes: v.optional(v.number()),
  /** Lowercase hex SHA-256 of the stored ZIP. */
  sha256: v.optional(v.string()),
  tables: v.optional(v.array(tableRowsValidator)),
  totalRows: v.optional(v.number()),
  storageFiles: v.optional(v.number()),
  verifiedAt: v.optional(v.number()),
};

export const scheduleValidator = v.union(
  v.object({ cadence: v.literal("off") }),
  v.object({ cadence: v.literal("daily"), time: v.string(), includeStorage: v.boolean() }),
  v.object({
    cadence: v.literal("weekly"),
    time: v.string(),
    /** ISO weekday, 1 = Monday. */
    weekday: v.number(),
    includeStorage: v.boolean(),
  }),
);

export const restoreStateValidator = v.union(
  v.object({ state: v.literal("backing_up") }),
  v.object({
    state: v.literal("uploading"),
    bytesUploaded: v.number(),
    totalBytes: v.union(v.number(), v.null()),
  }),
  v.object({ state: v.literal("waiting_for_confirmation") }),
  v.object({ state: v.literal("importing"), progressMessage: v.string() }),
  v.object({ state: v.literal("completed"), rowsWritten: v.number() }),
  v.object({ state: v.literal("failed"), step: v.string(), reason: v.string() }),
  v.object({ state: v.literal("canceled"), by: v.string() }),
);

/**
 * When the running step last wrote progress (ms). Absent when no action owns the next step (the
 * record is final, or waits for an admin): the watchdog reads only documents that have it.
 */
const progressAt = v.optional(v.number());

export const backupTables = {
  /** Restores of a backup into the connected deployment, step by step. */
  restores: defineTable({
    backupId: v.id("backups"),
    backupName: v.string(),
    deployment: v.string(),
    mode: v.union(v.literal("replaceAll"), v.literal("replace")),
    tables: v.array(v.string()),
    /** Tables in the backup that this restore leaves alone. */
    leftOut: v.array(v.string()),
    filtered: v.boolean(),
    status: restoreStateValidator,
    requestedBy: v.string(),
    requestedAt: v.number(),
    preRestoreBackupId: v.optional(v.id("backups")),
    importId: v.optional(v.string()),
    /** Convex's own summary of what the import creates and deletes. */
    messageToConfirm: v.optional(v.string()),
    /** The admin who pressed Perform import after reading Convex's summary. */
    confirmedBy: v.optional(v.string()),
    /** What went wrong tidying up after the restore ended (e.g. Convex refused cancel_import). */
    note: v.optional(v.string()),
    progressAt,
    finishedAt: v.optional(v.number()),
  })
    .index("by_requested", ["requestedAt"])
    .index("by_progress", ["progressAt"]),

  backups: defineTable({
    kind: backupKindValidator,
    status: backupStateValidator,
    requestedAt: v.number(),
    requestedBy: v.string(),
    includeStorage: v.boolean(),
    /** The source deployment, by name and URL, as it was when the backup ran. */
    deployment: v.string(),
    deploymentUrl: v.string(),
    ...backupFindingsFields,
    /** `takenAt` while the backup is verified, absent otherwise: the index of restorable backups. */
    restorableTakenAt: v.optional(v.number()),
    pinned: v.boolean(),
    progressAt,
    finishedAt: v.optional(v.number()),
  })
    .index("by_requested", ["requestedAt"])
    .index("by_progress", ["progressAt"])
    .index("by_restorable", ["restorableTakenAt"]),

  /**
   * One-time download links, to a backup's stored copy or an import's source file: only the
   * token's SHA-256 is kept, so neither this table nor a log holds a usable link. Kept past use
   * until expiry, so a second use is told it was used.
   */
  backupDownloadTokens: defineTable({
    tokenHash: v.string(),
    /** The backup whose copy the link serves; unset for an import's source file. */
    backupId: v.optional(v.id("backups")),
    importId: v.optional(v.id("imports")),
    requestedBy: v.string(),
    expiresAt: v.number(),
    usedAt: v.optional(v.number()),
  })
    .index("by_token_hash", ["tokenHash"])
    .index("by_expires", ["expiresAt"]),

  /** One row: the schedule, retention and RPO target an admin set. Absent means the defaults. */
  backupSettings: defineTable({
    schedule: scheduleValidator,
    /** The schedule slot (e.g. `2026-11-24T02:00`) a scheduled backup was last started for. */
    lastScheduledSlot: v.optional(v.string()),
    keepLast: v.number(),
    daily: v.number(),
    weekly: v.number(),
    monthly: v.number(),
    rpoTargetMs: v.number(),
    updatedAt: v.number(),
    updatedBy: v.string(),
  }),
};
