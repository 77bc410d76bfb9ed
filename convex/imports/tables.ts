import { defineTable } from "convex/server";
import { v } from "convex/values";

export const importFormatValidator = v.union(
  v.literal("csv"),
  v.literal("jsonLines"),
  v.literal("jsonArray"),
  v.literal("zip"),
);

export const importModeValidator = v.union(
  v.literal("requireEmpty"),
  v.literal("append"),
  v.literal("replace"),
  v.literal("replaceAll"),
);

/** An import's life: upload into the console, preview, then Convex's own import states. */
export const importStateValidator = v.union(
  v.object({ state: v.literal("uploading"), bytesUploaded: v.number() }),
  v.object({ state: v.literal("previewing") }),
  v.object({ state: v.literal("ready") }),
  v.object({ state: v.literal("backing_up") }),
  v.object({ state: v.literal("sending"), bytesSent: v.number() }),
  v.object({
    state: v.literal("waiting_for_confirmation"),
    messageToConfirm: v.string(),
  }),
  v.object({ state: v.literal("importing"), progressMessage: v.string() }),
  v.object({ state: v.literal("completed"), rowsWritten: v.number() }),
  v.object({ state: v.literal("failed"), step: v.string(), reason: v.string() }),
  /**
   * An append stopped while Convex was writing: its rows go straight into the table, batch by
   * batch, so some may be there. Kept with the last progress Convex reported and the file's rows.
   */
  v.object({
    state: v.literal("outcome_unknown"),
    step: v.string(),
    reason: v.string(),
    lastProgress: v.string(),
    rowsReported: v.union(v.number(), v.null()),
    rowsInFile: v.number(),
  }),
  v.object({ state: v.literal("canceled") }),
);

export const previewValidator = v.object({
  rows: v.number(),
  validRows: v.number(),
  fields: v.array(v.object({ name: v.string(), types: v.array(v.string()), empty: v.number() })),
  firstRows: v.array(v.string()),
  invalidLines: v.array(v.object({ line: v.number(), reason: v.string() })),
  invalidCount: v.number(),
  /** The file's problems by field (absent on previews from before it was counted). */
  problems: v.optional(
    v.array(
      v.object({
        field: v.string(),
        kind: v.union(v.literal("missing"), v.literal("type"), v.literal("unknown")),
        wants: v.string(),
        rows: v.number(),
        firstLines: v.array(v.number()),
      }),
    ),
  ),
  warnings: v.array(v.string()),
  tables: v.array(v.object({ table: v.string(), rows: v.number() })),
  rejected: v.union(v.string(), v.null()),
});

export const importTables = {
  imports: defineTable({
    fileName: v.string(),
    sizeBytes: v.number(),
    format: importFormatValidator,
    /** The target table; none for a ZIP, whose tables come from the file. */
    targetTable: v.union(v.string(), v.null()),
    deployment: v.string(),
    mode: v.optional(importModeValidator),
    status: importStateValidator,
    requestedBy: v.string(),
    requestedById: v.id("users"),
    requestedAt: v.number(),
    partCount: v.number(),
    sha256: v.optional(v.string()),
    preview: v.optional(previewValidator),
    /**
     * For a CSV aimed at a table whose schema the console knows: the preview with each cell typed by
     * its field's validator, as the console sends it (JSON Lines) when the operator keeps that on.
     */
    schemaTypedPreview: v.optional(previewValidator),
    /** The operator sent the CSV typed by the target table's schema, as JSON Lines. */
    typedBySchema: v.optional(v.boolean()),
    /**
     * Sent to the console's own deployment: only the app's tables go out (a ZIP is re-packed with
     * them alone), by the rule restores follow too.
     */
    onlyAppTables: v.optional(v.boolean()),
    /** Convex's `_snapshot_imports` id once the upload to the deployment finished. */
    convexImportId: v.optional(v.string()),
    preImportBackupId: v.optional(v.id("backups")),
    finishedAt: v.optional(v.number()),
    /** When an action last worked on the import; unset while it waits for a person or has ended. */
    progressAt: v.optional(v.number()),
    /**
     * The target tables' row counts on the deployment (Convex's `_system/cli/tableSize`), read after
     * the preview and after an unknown outcome; `problem` says why they could not be read.
     */
    tableRows: v.optional(
      v.object({
        at: v.number(),
        counts: v.array(v.object({ table: v.string(), rows: v.number() })),
        problem: v.union(v.string(), v.null()),
      }),
    ),
    /** The import this one sends again, without uploading the file again. */
    resentFrom: v.optional(v.id("imports")),
  })
    .index("by_requested", ["requestedAt"])
    .index("by_progress", ["progressAt"])
    .index("by_sha256", ["sha256"]),

  /** The uploaded file, as the browser sent it: storage files in order. */
  importParts: defineTable({
    importId: v.id("imports"),
    index: v.number(),
    storageId: v.id("_storage"),
    bytes: v.number(),
  }).index("by_import_index", ["importId", "index"]),

  /**
   * One-time URLs for the next chunk of an upload, bound to the import, the chunk's place and the
   * uploader: the chunk is stored by the console's HTTP action, so a part is always bytes that
   * uploader sent for that import, never a storage id they named. Only the token's SHA-256 is kept.
   */
  importUploadTokens: defineTable({
    tokenHash: v.string(),
    importId: v.id("imports"),
    index: v.number(),
    uploaderId: v.id("users"),
    expiresAt: v.number(),
    usedAt: v.optional(v.number()),
  })
    .index("by_token_hash", ["tokenHash"])
    .index("by_import", ["importId"]),
};
