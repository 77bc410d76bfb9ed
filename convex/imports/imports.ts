/**
 * Imports into the connected deployment: the browser uploads the file into the console's storage in
 * chunks, the console previews it, the operator picks the mode and confirms Convex's own summary.
 * Every step is a state on the import's document, which the page watches.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import {
  APP_TABLES,
  appTablesOf,
  hashDownloadToken,
  issueDownloadLink,
  newDownloadToken,
  restoreRunningSentence,
  startPreImportBackup,
} from "../backups/read";
import { isConsoleDeployment, loadConnection } from "../deployment/read";
import { appError } from "../lib/errors";
import {
  adminMutation,
  internalQuery,
  operatorMutation,
  viewerQuery,
  type SignedInUser,
} from "../lib/functions";
import { hasRole } from "../lib/roles";
import { fieldNameProblem } from "./model/convexTypes";
import { formatOfFileName, JSON_ARRAY_MAX_BYTES } from "./model/records";
import { allowedModes, CANCELABLE_STATES, MAX_IMPORT_BYTES } from "./shared";
import { IMPORT_IN_FLIGHT_STATES, importInFlightSentence, importSourceFile } from "./read";
import { importModeValidator } from "./tables";
import { MAX_PARTS, UPLOAD_PATH, UPLOAD_URL_LIFETIME_MS } from "./upload";
import { progressAtFor } from "./model/progress";
import { repeatWarning } from "./model/states";
import { expectedColumns, validatorJson } from "./model/validate";
import schema from "../schema";

const IMPORTS_LISTED = 20;

export function importName(row: Pick<Doc<"imports">, "fileName" | "targetTable">): string {
  return row.targetTable === null ? row.fileName : `${row.fileName} → ${row.targetTable}`;
}

async function getImportOrThrow(ctx: QueryCtx, importId: Id<"imports">): Promise<Doc<"imports">> {
  const row = await ctx.db.get("imports", importId);
  if (row === null) throw appError("NOT_FOUND", "That import no longer exists.");
  return row;
}

/** Only the operator who started an upload adds to it: another's half-finished file is not theirs. */
function requireUploader(row: Doc<"imports">, user: SignedInUser) {
  if (row.requestedById !== user._id) {
    throw appError(
      "UNAUTHORIZED",
      `This upload was started by ${row.requestedBy}; only they can continue it.`,
    );
  }
}

/**
 * Why an import may not be written into the console's own deployment as asked; null when it may.
 * One rule for every format and mode (`appTablesOf`, which restores follow too): a file aimed at a
 * table must aim at an app table; a ZIP must hold one, and goes out re-packed with only those; and
 * `replaceAll`, which deletes every table the file does not hold, is never allowed there.
 */
export function consoleScopeProblem(
  row: Pick<Doc<"imports">, "format" | "targetTable" | "preview">,
  mode: Doc<"imports">["mode"],
): string | null {
  const only = `The connected deployment is the console itself: only the app's tables (${APP_TABLES.join(", ")}) can be imported into`;
  if (row.format !== "zip") {
    return row.targetTable !== null && APP_TABLES.includes(row.targetTable) ? null : `${only}.`;
  }
  if (mode === "replaceAll") {
    return `${only}, and replaceAll would delete the console's own tables. Choose replace: it replaces only the app's tables the ZIP holds.`;
  }
  const tables = (row.preview?.tables ?? []).map((entry) => entry.table);
  if (appTablesOf(tables).kept.length === 0) {
    return `${only}, and this ZIP holds none of them: nothing in it may be imported here.`;
  }
  return null;
}

async function connectedOrThrow(ctx: QueryCtx) {
  const connection = await loadConnection(ctx);
  if (connection === null) {
    throw appError(
      "NOT_FOUND",
      "No deployment is connected: an admin sets its URL and deploy key in Settings first.",
    );
  }
  return { ...connection, isConsole: isConsoleDeployment(connection.url) };
}

/** The newest imports with their live state, and what the caller may target. */
/**
 * What backups asks of imports through the function API: backups sits below imports (pre-import
 * backups, restore plans, snapshot formats), so it never imports this domain's modules.
 */
export const inFlightSentence = internalQuery({
  args: { deployment: v.string() },
  handler: (ctx, { deployment }) => importInFlightSentence(ctx, deployment),
});

/** The stored parts of an import's source file, for the one-time download link backups serves. */
export const sourceFile = internalQuery({
  args: { importId: v.id("imports") },
  handler: (ctx, { importId }) => importSourceFile(ctx, importId),
});

export const list = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const imports = await ctx.db
      .query("imports")
      .withIndex("by_requested")
      .order("desc")
      .take(IMPORTS_LISTED);
    const connection = await loadConnection(ctx);
    return {
      imports,
      deployment: connection?.name ?? null,
      /** On the console's own deployment only the app's tables may be written. */
      onlyAppTables: connection !== null && isConsoleDeployment(connection.url),
      appTables: APP_TABLES,
      /** The columns each app table expects, shown beside the preview. */
      columns: Object.fromEntries(
        APP_TABLES.map((table) => [
          table,
          expectedColumns(validatorJson(schema.tables[table as "tasks"].validator)),
        ]),
      ),
    };
  },
});

export const get = viewerQuery({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => await ctx.db.get("imports", importId),
});

/**
 * A one-time link to the uploaded file as it was sent, for an admin: taking data out is an admin
 * action. The file streams from the link's HTTP action; no storage id or URL reaches the browser.
 */
export const sourceDownloadLink = adminMutation({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => {
    const row = await getImportOrThrow(ctx, importId);
    if (row.status.state === "uploading") {
      throw appError("CONFLICT", "The file is still being uploaded; download it once every part arrived.");
    }
    const link = await issueDownloadLink(ctx, { importId }, row.sizeBytes, ctx.user.email);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "import.source_link",
      target: importName(row),
      details: { expiresAt: link.expiresAt },
    });
    return { ...link, fileName: row.fileName };
  },
});

/** Starts an upload: checks the file's type, size and target before any byte is sent. */
export const begin = operatorMutation({
  args: { fileName: v.string(), sizeBytes: v.number(), targetTable: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const fileName = args.fileName.trim().slice(0, 200);
    const format = formatOfFileName(fileName);
    if (format === null) {
      throw appError(
        "VALIDATION_ERROR",
        "Choose a .csv, .jsonl, .json or .zip file: Convex imports only these.",
      );
    }
    if (!Number.isInteger(args.sizeBytes) || args.sizeBytes <= 0 || args.sizeBytes > MAX_IMPORT_BYTES) {
      throw appError("VALIDATION_ERROR", "The file is empty or larger than the 4 GiB the console accepts.");
    }
    if (format === "jsonArray" && args.sizeBytes > JSON_ARRAY_MAX_BYTES) {
      throw appError(
        "VALIDATION_ERROR",
        "A JSON array is limited to 16 MiB by Convex (it is read whole); convert it to JSON Lines.",
      );
    }
    const connection = await connectedOrThrow(ctx);
    let targetTable: string | null = null;
    if (format !== "zip") {
      targetTable = (args.targetTable ?? "").trim();
      const problem = fieldNameProblem(targetTable);
      if (targetTable === "" || targetTable.startsWith("_") || problem !== null) {
        throw appError("VALIDATION_ERROR", "Name the table to import into (letters, digits and _).");
      }
      const scopeProblem = connection.isConsole
        ? consoleScopeProblem({ format, targetTable }, undefined)
        : null;
      if (scopeProblem !== null) throw appError("VALIDATION_ERROR", scopeProblem);
    } else if (args.targetTable !== undefined) {
      throw appError("VALIDATION_ERROR", "A ZIP names its own tables; leave the table empty.");
    }
    const importId = await ctx.db.insert("imports", {
      fileName,
      sizeBytes: args.sizeBytes,
      format,
      targetTable,
      deployment: connection.name,
      status: { state: "uploading", bytesUploaded: 0 },
      requestedBy: ctx.user.email,
      requestedById: ctx.user._id,
      requestedAt: Date.now(),
      partCount: 0,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "import.started",
      target: importName({ fileName, targetTable }),
      details: { sizeBytes: args.sizeBytes, format, deployment: connection.name },
    });
    return importId;
  },
});

async function uploadingImport(ctx: MutationCtx, importId: Id<"imports">, user: SignedInUser) {
  const row = await getImportOrThrow(ctx, importId);
  requireUploader(row, user);
  if (row.status.state !== "uploading") throw appError("CONFLICT", "This upload has already finished.");
  return { row, bytesUploaded: row.status.bytesUploaded };
}

/**
 * A one-time URL the browser posts the next chunk to: the console's HTTP action stores it and
 * records it on this import, as this uploader's next part (see `upload.ts`).
 */
export const uploadUrl = operatorMutation({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => {
    const { row } = await uploadingImport(ctx, importId, ctx.user);
    const siteUrl = env.CONVEX_SITE_URL;
    if (!siteUrl) throw new Error("CONVEX_SITE_URL is not set, so no upload URL can be made.");
    const token = newDownloadToken();
    await ctx.db.insert("importUploadTokens", {
      tokenHash: hashDownloadToken(token),
      importId,
      index: row.partCount,
      uploaderId: ctx.user._id,
      expiresAt: Date.now() + UPLOAD_URL_LIFETIME_MS,
    });
    return `${siteUrl.replace(/\/+$/, "")}${UPLOAD_PATH}?token=${token}`;
  },
});

/** Every byte is stored: the preview runs next, before anything is written anywhere. */
export const finishUpload = operatorMutation({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => {
    const { row, bytesUploaded } = await uploadingImport(ctx, importId, ctx.user);
    if (bytesUploaded !== row.sizeBytes) {
      throw appError(
        "VALIDATION_ERROR",
        `Only ${bytesUploaded} of the file's ${row.sizeBytes} bytes arrived: upload it again.`,
      );
    }
    await ctx.db.patch("imports", importId, {
      status: { state: "previewing" },
      progressAt: progressAtFor("previewing", Date.now()),
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "import.uploaded",
      target: importName(row),
      details: { sizeBytes: row.sizeBytes, parts: row.partCount },
    });
    await ctx.scheduler.runAfter(0, internal.imports.flow.preview, { importId });
  },
});

/**
 * Sends a previewed file to the deployment with the chosen mode. `replace` and `replaceAll` need the
 * target typed as confirmation and take a pre-import backup first.
 */
export const submit = operatorMutation({
  args: {
    importId: v.id("imports"),
    mode: importModeValidator,
    confirmation: v.optional(v.string()),
    /** Type a CSV's cells by the target table's schema and send JSON Lines (default: on when known). */
    typeBySchema: v.optional(v.boolean()),
    /** The operator read that appending this same file again may write its rows twice. */
    appendAgain: v.optional(v.boolean()),
  },
  handler: async (ctx, { importId, mode, confirmation, typeBySchema, appendAgain }) => {
    const row = await getImportOrThrow(ctx, importId);
    if (row.status.state !== "ready" || row.preview === undefined) {
      throw appError("CONFLICT", "Only a previewed import that has not been sent can be started.");
    }
    await refuseUnreadRepeat(ctx, row, mode, appendAgain === true);
    const typed = typeBySchema ?? row.schemaTypedPreview !== undefined;
    if (typed && row.schemaTypedPreview === undefined) {
      throw appError(
        "VALIDATION_ERROR",
        "Only a CSV aimed at a table whose schema the console knows can be typed by that schema.",
      );
    }
    const preview = typed && row.schemaTypedPreview !== undefined ? row.schemaTypedPreview : row.preview;
    if (preview.rejected !== null) throw appError("VALIDATION_ERROR", preview.rejected);
    if (preview.invalidCount > 0) {
      throw appError(
        "VALIDATION_ERROR",
        `The file has ${preview.invalidCount} invalid line(s), and Convex would stop at the first: fix them and upload again.`,
      );
    }
    if (!allowedModes(row.format, hasRole(ctx.user.role, "admin")).includes(mode)) {
      throw appError(
        mode === "replaceAll" && row.format === "zip" ? "UNAUTHORIZED" : "VALIDATION_ERROR",
        "replaceAll is only for a ZIP, and only an admin may use it.",
      );
    }
    const connection = await connectedOrThrow(ctx);
    if (connection.name !== row.deployment) {
      throw appError(
        "CONFLICT",
        `This file was uploaded for ${row.deployment}, but ${connection.name} is connected now: upload it again.`,
      );
    }
    const scopeProblem = connection.isConsole ? consoleScopeProblem(row, mode) : null;
    if (scopeProblem !== null) throw appError("VALIDATION_ERROR", scopeProblem);
    const running = await ctx.db
      .query("imports")
      .withIndex("by_requested")
      .order("desc")
      .take(IMPORTS_LISTED);
    if (running.some((other) => IMPORT_IN_FLIGHT_STATES.includes(other.status.state))) {
      throw appError("CONFLICT", "Another import is running: wait for it to finish.");
    }
    // One destructive operation at a time per deployment: rows written during a restore would be
    // reported as the backup's.
    const restoring = await restoreRunningSentence(ctx, row.deployment);
    if (restoring !== null) throw appError("CONFLICT", restoring);
    const destructive = mode === "replace" || mode === "replaceAll";
    const expected = row.targetTable ?? row.deployment;
    if (destructive && confirmation?.trim() !== expected) {
      throw appError("VALIDATION_ERROR", `Type ${expected} to confirm that its rows are replaced.`);
    }
    let preImportBackupId: Id<"backups"> | undefined;
    if (destructive) preImportBackupId = await startPreImportBackup(ctx, ctx.user, importName(row));
    await ctx.db.patch("imports", importId, {
      mode,
      onlyAppTables: connection.isConsole,
      typedBySchema: typed,
      preImportBackupId,
      status: destructive ? { state: "backing_up" } : { state: "sending", bytesSent: 0 },
      progressAt: Date.now(),
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "import.submitted",
      target: importName(row),
      details: {
        mode,
        deployment: row.deployment,
        sha256: row.sha256 ?? null,
        rows: preview.rows,
        typedBySchema: typed,
      },
    });
    await ctx.scheduler.runAfter(
      0,
      destructive ? internal.imports.flow.afterBackup : internal.imports.flow.send,
      {
        importId,
        attempt: 0,
      },
    );
  },
});

/** The operator has read Convex's change summary and confirms it: the import starts. */
export const confirm = operatorMutation({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => {
    const row = await getImportOrThrow(ctx, importId);
    if (row.status.state !== "waiting_for_confirmation") {
      throw appError("CONFLICT", "This import is not waiting for confirmation.");
    }
    const connection = await loadConnection(ctx);
    if (connection !== null && isConsoleDeployment(connection.url)) {
      const problem =
        row.onlyAppTables === true
          ? consoleScopeProblem(row, row.mode)
          : "The connected deployment is the console itself, and this import was not prepared for it: cancel it and import again.";
      if (problem !== null) throw appError("VALIDATION_ERROR", problem);
    }
    await ctx.db.patch("imports", importId, {
      status: { state: "importing", progressMessage: "Starting the import…" },
      progressAt: Date.now(),
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "import.confirmed",
      target: importName(row),
      details: { mode: row.mode ?? null, convexImportId: row.convexImportId ?? null },
    });
    await ctx.scheduler.runAfter(0, internal.imports.flow.perform, { importId });
  },
});

/** Stops an import that has not started writing; one waiting on Convex is canceled there too. */
export const cancel = operatorMutation({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => {
    const row = await getImportOrThrow(ctx, importId);
    if (!(CANCELABLE_STATES as readonly string[]).includes(row.status.state)) {
      throw appError("CONFLICT", "Only an import that has not started writing can be canceled.");
    }
    await ctx.db.patch("imports", importId, {
      status: { state: "canceled" },
      finishedAt: Date.now(),
      progressAt: undefined,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "import.canceled",
      target: importName(row),
      details: { from: row.status.state },
    });
    if (row.convexImportId !== undefined) {
      await ctx.scheduler.runAfter(0, internal.imports.flow.cancelOnDeployment, {
        convexImportId: row.convexImportId,
      });
    }
  },
});

/**
 * Why sending this file may write rows twice: an earlier import of the same bytes (SHA-256) into
 * this deployment was appended, or stopped with an unknown outcome.
 */
async function repeatWarningFor(ctx: QueryCtx, row: Doc<"imports">): Promise<string | null> {
  if (row.sha256 === undefined) return null;
  const earlier = await ctx.db
    .query("imports")
    .withIndex("by_sha256", (q) => q.eq("sha256", row.sha256))
    .order("desc")
    .take(IMPORTS_LISTED);
  return repeatWarning(
    earlier.filter((other) => other._id !== row._id && other.deployment === row.deployment),
  );
}

/** An append of a file whose rows may already be there goes only once the operator said so. */
async function refuseUnreadRepeat(ctx: QueryCtx, row: Doc<"imports">, mode: string, appendAgain: boolean) {
  if (mode !== "append" || appendAgain) return;
  const warning = await repeatWarningFor(ctx, row);
  if (warning !== null) {
    throw appError("CONFLICT", `${warning} Check the table, then confirm that you want to append it again.`);
  }
}

/** The warning the page shows before the same file is sent again, or null. */
export const repeatOf = viewerQuery({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => await repeatWarningFor(ctx, await getImportOrThrow(ctx, importId)),
});

/**
 * A failed import sent again without uploading it again: a new import of the same stored file, its
 * preview kept, ready for the operator to pick a mode (with the same rules as a new import: replace
 * needs the table typed and takes a backup first, replaceAll is an admin's).
 */
export const sendAgain = operatorMutation({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => {
    const row = await getImportOrThrow(ctx, importId);
    const ended = row.status.state === "failed" || row.status.state === "outcome_unknown";
    if (!ended || row.mode === undefined || row.preview === undefined) {
      throw appError("CONFLICT", "Only an import that was sent and did not complete can be sent again.");
    }
    const connection = await loadConnection(ctx);
    if (connection?.name !== row.deployment) {
      throw appError(
        "CONFLICT",
        `This file was sent to ${row.deployment}, which is no longer the connected deployment: upload it again.`,
      );
    }
    const parts = await ctx.db
      .query("importParts")
      .withIndex("by_import_index", (q) => q.eq("importId", importId))
      .take(MAX_PARTS);
    const againId = await ctx.db.insert("imports", {
      fileName: row.fileName,
      sizeBytes: row.sizeBytes,
      format: row.format,
      targetTable: row.targetTable,
      deployment: row.deployment,
      status: { state: "ready" },
      requestedBy: ctx.user.email,
      requestedById: ctx.user._id,
      requestedAt: Date.now(),
      partCount: parts.length,
      sha256: row.sha256,
      preview: row.preview,
      schemaTypedPreview: row.schemaTypedPreview,
      resentFrom: importId,
    });
    for (const part of parts) {
      const { index, storageId, bytes } = part;
      await ctx.db.insert("importParts", { importId: againId, index, storageId, bytes });
    }
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "import.sent_again",
      target: importName(row),
      details: { from: row.status.state, previousMode: row.mode, sha256: row.sha256 ?? null },
    });
    await ctx.scheduler.runAfter(0, internal.imports.tableRows.count, { importId: againId, attempt: 0 });
    return againId;
  },
});
