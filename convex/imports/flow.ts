/**
 * An import's long steps, as internal actions that the page follows through the import's document:
 * preview the stored file, wait for the pre-import backup, stream the file to the deployment in
 * Convex's 5 MiB parts, record Convex's change summary, and after confirmation follow the import to
 * its rows written or its error.
 */
import { v, type ValidatorJSON } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { ActionCtx, MutationCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError, sentenceOf } from "../lib/errors";
import {
  APP_TABLES,
  appTablesOf,
  filteredSnapshotEntries,
  pollDelayMs,
  preImportBackupState,
  skippedTablesSentence,
  uploadParts,
} from "../backups/read";
import { zipChunks } from "../lib/snapshot/zipWriter";
import { deploymentClient, isConsoleDeployment } from "../deployment/read";
import { userIdsByEmail } from "../users/read";
import { internalAction, internalMutation, internalQuery } from "../lib/functions";
import schema from "../schema";
import { PREVIEW_BUDGET, previewImport } from "./model/preview";
import { csvAsJsonLines, rowsAsJsonLines } from "./model/schemaTyping";
import { readCsv, readJsonArray, readJsonLines, type ImportFormat } from "./model/records";
import {
  snapshotWithUserIds,
  userEmailsIn,
  userEmailsInSnapshot,
  userIdFields,
  type UserIdsByEmail,
} from "./model/userEmails";
import { validatorJson } from "./model/validate";
import { consoleScopeProblem, importName } from "./imports";
import { progressAtFor } from "./model/progress";
import { inSlices, pieceBytesFor, Slices } from "./model/slices";
import { failureText } from "./model/convexText";
import { afterPreview, assertMove, failureState, FINAL_IMPORT_STATES } from "./model/states";
import { importStateValidator, previewValidator } from "./tables";

/** Validators of the tables the console knows: the app's own, whose schema ships with the console. */
const KNOWN_TABLES: Record<string, ValidatorJSON> = Object.fromEntries(
  APP_TABLES.map((table) => [table, validatorJson(schema.tables[table as "tasks"].validator)]),
);

export const load = internalQuery({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }) => {
    const row = await ctx.db.get("imports", importId);
    if (row === null) return null;
    const parts = await ctx.db
      .query("importParts")
      .withIndex("by_import_index", (q) => q.eq("importId", importId))
      .take(1000);
    const backup =
      row.preImportBackupId === undefined ? null : await preImportBackupState(ctx, row.preImportBackupId);
    return { row, storageIds: parts.map((part) => part.storageId), backup };
  },
});

/** The users with these emails (at most one lookup's worth), for a file's user-id cells. */
export const usersByEmail = internalQuery({
  args: { emails: v.array(v.string()) },
  handler: async (ctx, { emails }) => await userIdsByEmail(ctx, emails),
});

/** The rows of a stored file of a row format, as Convex will read them. */
function rowsOf(chunks: AsyncIterable<Uint8Array>, format: Exclude<ImportFormat, "zip">) {
  const notes = { bomStripped: false, header: null };
  return format === "csv"
    ? readCsv(chunks, notes)
    : format === "jsonLines"
      ? readJsonLines(chunks, notes)
      : readJsonArray(chunks, notes);
}

/**
 * The ids of the users a file names by email in the `v.id("users")` fields of the tables the
 * console knows (the target table, or a ZIP's tables), in any format: one pass over the stored file
 * for its distinct emails, then one bounded lookup.
 */
async function userIdsOfFile(
  ctx: ActionCtx,
  storageIds: Id<"_storage">[],
  format: ImportFormat,
  tableValidator: ValidatorJSON | null,
): Promise<UserIdsByEmail> {
  const file = storedFile(ctx, storageIds, format);
  const emails =
    format === "zip"
      ? await userEmailsInSnapshot(file, KNOWN_TABLES, PREVIEW_BUDGET.rows)
      : tableValidator !== null && userIdFields(tableValidator).length > 0
        ? await userEmailsIn(rowsOf(file, format), tableValidator, PREVIEW_BUDGET.rows)
        : new Set<string>();
  if (emails.size === 0) return new Map();
  // The console knows only its own users: their ids mean nothing in another deployment's tables.
  const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
  if (connection === null || !isConsoleDeployment(connection.url)) {
    throw appError(
      "VALIDATION_ERROR",
      "Emails in user columns are resolved only for an import into the console's own deployment, whose users the console knows; write the users' ids instead.",
    );
  }
  const found = await ctx.runQuery(internal.imports.flow.usersByEmail, { emails: [...emails] });
  return new Map(found.map(({ email, userId }) => [email, userId]));
}

/** The rows of the file as it was sent (typed by the schema or not). */
function rowsInFile(row: Doc<"imports">): number {
  return ((row.typedBySchema === true ? row.schemaTypedPreview : undefined) ?? row.preview)?.rows ?? 0;
}

/**
 * Writes an import's next state and its heartbeat; audits the end. A failure of an append Convex
 * had started writing becomes an unknown outcome, and the table is counted to say what it holds.
 */
export async function moveImport(
  ctx: MutationCtx,
  row: Doc<"imports">,
  next: Doc<"imports">["status"],
  convexImportId?: string,
) {
  const status =
    next.state === "failed"
      ? failureState(row.status, row.mode, next.step, next.reason, rowsInFile(row))
      : next;
  assertMove(row.status.state, status.state);
  const final = FINAL_IMPORT_STATES.includes(status.state);
  const patch: Partial<Doc<"imports">> = { status, progressAt: progressAtFor(status.state, Date.now()) };
  if (convexImportId !== undefined) patch.convexImportId = convexImportId;
  if (final) patch.finishedAt = Date.now();
  await ctx.db.patch("imports", row._id, patch);
  if (final) {
    await recordAudit(ctx, {
      actor: null,
      action: "import.finished",
      target: importName(row),
      details: {
        requestedBy: row.requestedBy,
        mode: row.mode ?? null,
        result: status.state,
        rowsWritten: status.state === "completed" ? status.rowsWritten : null,
        reason: status.state === "failed" || status.state === "outcome_unknown" ? status.reason : null,
      },
    });
  }
  if (status.state === "outcome_unknown") {
    await ctx.scheduler.runAfter(0, internal.imports.tableRows.count, { importId: row._id, attempt: 0 });
  }
}

/**
 * Moves an import to its next state unless it was canceled meanwhile; audits the end. Returns
 * false when the import is no longer in one of `from`, so the caller stops.
 */
export const advance = internalMutation({
  args: {
    importId: v.id("imports"),
    from: v.array(v.string()),
    status: importStateValidator,
    convexImportId: v.optional(v.string()),
  },
  handler: async (ctx, args) => {
    const row = await ctx.db.get("imports", args.importId);
    if (row === null || !args.from.includes(row.status.state)) return false;
    await moveImport(ctx, row, args.status, args.convexImportId);
    return true;
  },
});

/** A poll that found nothing new still shows its action is alive. */
export const heartbeat = internalMutation({
  args: { importId: v.id("imports"), state: v.string() },
  handler: async (ctx, { importId, state }) => {
    const row = await ctx.db.get("imports", importId);
    if (row?.status.state === state) await ctx.db.patch("imports", importId, { progressAt: Date.now() });
  },
});

export const savePreview = internalMutation({
  args: {
    importId: v.id("imports"),
    preview: previewValidator,
    schemaTypedPreview: v.optional(previewValidator),
    sha256: v.string(),
  },
  handler: async (ctx, { importId, preview, schemaTypedPreview, sha256 }) => {
    const row = await ctx.db.get("imports", importId);
    if (row === null || row.status.state !== "previewing") return;
    const status = afterPreview(preview, schemaTypedPreview);
    await ctx.db.patch("imports", importId, { preview, schemaTypedPreview, sha256, progressAt: undefined });
    await moveImport(ctx, { ...row, preview, schemaTypedPreview }, status);
    // Whether the target tables are empty decides which modes Convex will accept.
    if (status.state === "ready")
      await ctx.scheduler.runAfter(0, internal.imports.tableRows.count, { importId, attempt: 0 });
  },
});

/**
 * The stored file in upload order, never held whole, in small pieces with turns of the event loop
 * between them: whatever reads it (preview, re-encoding, re-packing) leaves the process answering.
 */
function storedFile(
  ctx: ActionCtx,
  storageIds: Id<"_storage">[],
  format: ImportFormat,
): AsyncGenerator<Uint8Array> {
  return inSlices(storedParts(ctx, storageIds), new Slices(), pieceBytesFor(format));
}

async function* storedParts(ctx: ActionCtx, storageIds: Id<"_storage">[]): AsyncGenerator<Uint8Array> {
  for (const storageId of storageIds) {
    const blob = await ctx.storage.get(storageId);
    if (blob === null) throw new Error("Part of the stored file is missing.");
    const reader = blob.stream().getReader();
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      yield next.value;
    }
  }
}

async function* counted(chunks: AsyncIterable<Uint8Array>, read: { bytes: number }) {
  for await (const chunk of chunks) {
    read.bytes += chunk.length;
    yield chunk;
  }
}

/** The CLI strips a UTF-8 BOM from the start of the file; Convex refuses one in JSON. */
async function* withoutBom(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      first = false;
      yield chunk.subarray(3);
      continue;
    }
    first = false;
    yield chunk;
  }
}

async function fail(ctx: ActionCtx, importId: Id<"imports">, from: string[], step: string, reason: string) {
  await ctx.runMutation(internal.imports.flow.advance, {
    importId,
    from,
    status: { state: "failed", step, reason },
  });
}

export const preview = internalAction({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.imports.flow.load, { importId });
    if (loaded === null || loaded.row.status.state !== "previewing") return;
    const { row, storageIds } = loaded;
    try {
      const tableValidator = row.targetTable === null ? null : (KNOWN_TABLES[row.targetTable] ?? null);
      const userIds = await userIdsOfFile(ctx, storageIds, row.format, tableValidator);
      const result = await previewImport(storedFile(ctx, storageIds, row.format), {
        format: row.format,
        tableValidator,
        knownTables: KNOWN_TABLES,
        userIds,
      });
      const { sha256, bytes: _bytes, typedBySchema, ...preview } = result;
      const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
      if (row.format === "zip" && connection !== null && isConsoleDeployment(connection.url)) {
        // Said before the operator picks a mode: what of the ZIP will not be written.
        const skipped = skippedTablesSentence(
          appTablesOf(preview.tables.map((entry) => entry.table)).skipped,
        );
        if (skipped !== null) preview.warnings = [skipped, ...preview.warnings];
      }
      await ctx.runMutation(internal.imports.flow.savePreview, {
        importId,
        preview,
        sha256,
        ...(typedBySchema === null ? {} : { schemaTypedPreview: typedBySchema }),
      });
    } catch (error) {
      await fail(ctx, importId, ["previewing"], "preview", sentenceOf(error));
    }
  },
});

export const afterBackup = internalAction({
  args: { importId: v.id("imports"), attempt: v.number() },
  handler: async (ctx, { importId, attempt }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.imports.flow.load, { importId });
    if (loaded === null || loaded.row.status.state !== "backing_up") return;
    if (loaded.backup === "verified") {
      const moved = await ctx.runMutation(internal.imports.flow.advance, {
        importId,
        from: ["backing_up"],
        status: { state: "sending", bytesSent: 0 },
      });
      if (moved) await ctx.scheduler.runAfter(0, internal.imports.flow.send, { importId, attempt: 0 });
      return;
    }
    if (loaded.backup !== "running") {
      const why = loaded.backup === null ? "it is missing" : loaded.backup.failed;
      return await fail(
        ctx,
        importId,
        ["backing_up"],
        "pre-import backup",
        `The pre-import backup did not finish verified (${why}), so nothing was imported.`,
      );
    }
    await ctx.runMutation(internal.imports.flow.heartbeat, { importId, state: "backing_up" });
    await ctx.scheduler.runAfter(pollDelayMs(Math.min(attempt, 4)), internal.imports.flow.afterBackup, {
      importId,
      attempt: attempt + 1,
    });
  },
});

export const send = internalAction({
  args: { importId: v.id("imports"), attempt: v.number() },
  handler: async (ctx, { importId }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.imports.flow.load, { importId });
    if (loaded === null || loaded.row.status.state !== "sending") return;
    const { row, storageIds } = loaded;
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null)
      return await fail(ctx, importId, ["sending"], "upload", "No deployment is connected any more.");
    const client = deploymentClient(connection);
    const onlyAppTables = row.onlyAppTables === true || isConsoleDeployment(connection.url);
    const scopeProblem = onlyAppTables ? consoleScopeProblem(row, row.mode) : null;
    if (scopeProblem !== null) return await fail(ctx, importId, ["sending"], "upload", scopeProblem);
    let convexImportId: string;
    try {
      const tableValidator = row.targetTable === null ? null : (KNOWN_TABLES[row.targetTable] ?? null);
      const schemaValidator = row.typedBySchema === true ? tableValidator : null;
      if (row.typedBySchema === true && schemaValidator === null)
        throw new Error("The console no longer knows the schema of the target table.");
      const userIds = await userIdsOfFile(ctx, storageIds, row.format, tableValidator);
      const read = { bytes: 0 };
      const file = counted(storedFile(ctx, storageIds, row.format), read);
      // Typed by the schema, or naming users by email, a file of rows goes out as JSON Lines,
      // converted row by row as it streams; a ZIP for the console's own deployment goes out
      // re-packed with the app's tables alone (and its emails replaced by ids).
      const asJsonLines = row.format !== "zip" && (schemaValidator !== null || userIds.size > 0);
      const body =
        schemaValidator !== null
          ? csvAsJsonLines(file, schemaValidator, userIds)
          : asJsonLines && row.format !== "zip" && tableValidator !== null
            ? rowsAsJsonLines(rowsOf(file, row.format), tableValidator, userIds)
            : row.format === "zip" && onlyAppTables
              ? zipChunks(
                  snapshotWithUserIds(filteredSnapshotEntries(file, APP_TABLES), KNOWN_TABLES, userIds),
                  {
                    modifiedAt: new Date(),
                  },
                )
              : withoutBom(file);
      const uploadToken = await client.startUpload();
      const partTokens: string[] = [];
      for await (const part of uploadParts(body)) {
        partTokens.push(await client.uploadPart(uploadToken, partTokens.length + 1, part));
        // Progress counts the stored file's bytes read, so it ends at the file's size either way.
        const bytesSent = Math.min(read.bytes, row.sizeBytes);
        const still = await ctx.runMutation(internal.imports.flow.advance, {
          importId,
          from: ["sending"],
          status: { state: "sending", bytesSent },
        });
        if (!still) return;
      }
      convexImportId = await client.finishUpload({
        import: {
          format: asJsonLines ? "jsonLines" : row.format,
          mode: row.mode ?? "requireEmpty",
          ...(row.targetTable === null ? {} : { tableName: row.targetTable }),
        },
        uploadToken,
        partTokens,
      });
    } catch (error) {
      return await fail(ctx, importId, ["sending"], "upload", sentenceOf(error));
    }
    const still = await ctx.runMutation(internal.imports.flow.advance, {
      importId,
      from: ["sending"],
      status: { state: "sending", bytesSent: row.sizeBytes },
      convexImportId,
    });
    if (still)
      await ctx.scheduler.runAfter(pollDelayMs(0), internal.imports.flow.follow, { importId, attempt: 0 });
  },
});

/** The operator confirmed: Convex starts writing. */
export const perform = internalAction({
  args: { importId: v.id("imports") },
  handler: async (ctx, { importId }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.imports.flow.load, { importId });
    if (loaded?.row.convexImportId === undefined || loaded.row.status.state !== "importing") return;
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null)
      return await fail(ctx, importId, ["importing"], "import", "No deployment is connected any more.");
    try {
      await deploymentClient(connection).performImport(loaded.row.convexImportId);
    } catch (error) {
      return await fail(ctx, importId, ["importing"], "import", sentenceOf(error));
    }
    await ctx.scheduler.runAfter(pollDelayMs(0), internal.imports.flow.follow, { importId, attempt: 0 });
  },
});

/** Follows Convex's import record until it waits for confirmation, completes or fails. */
export const follow = internalAction({
  args: { importId: v.id("imports"), attempt: v.number() },
  handler: async (ctx, { importId, attempt }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.imports.flow.load, { importId });
    const row = loaded?.row;
    if (row?.convexImportId === undefined || !["sending", "importing"].includes(row.status.state)) return;
    const from = [row.status.state];
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null)
      return await fail(ctx, importId, from, "import", "No deployment is connected any more.");
    try {
      const current = await deploymentClient(connection).getImport(row.convexImportId);
      if (current === null)
        return await fail(ctx, importId, from, "import", "The deployment no longer knows this import.");
      const state = current.state;
      switch (state.state) {
        case "waiting_for_confirmation":
          if (row.status.state === "sending") {
            // Convex's change summary is shown to the operator, who confirms it on the page.
            await ctx.runMutation(internal.imports.flow.advance, {
              importId,
              from,
              status: { state: "waiting_for_confirmation", messageToConfirm: state.messageToConfirm },
            });
            return;
          }
          break;
        case "in_progress":
          if (row.status.state === "importing") {
            await ctx.runMutation(internal.imports.flow.advance, {
              importId,
              from,
              status: { state: "importing", progressMessage: state.progressMessage },
            });
          }
          break;
        case "completed":
          await ctx.runMutation(internal.imports.flow.advance, {
            importId,
            from,
            status: { state: "completed", rowsWritten: Number(state.numRowsWritten) },
          });
          return;
        case "failed":
          return await fail(
            ctx,
            importId,
            from,
            "import",
            failureText(state.errorMessage) || "Convex reported the import as failed.",
          );
        case "uploaded":
          break;
      }
    } catch (error) {
      return await fail(ctx, importId, from, "import", sentenceOf(error));
    }
    await ctx.runMutation(internal.imports.flow.heartbeat, { importId, state: row.status.state });
    await ctx.scheduler.runAfter(pollDelayMs(attempt + 1), internal.imports.flow.follow, {
      importId,
      attempt: attempt + 1,
    });
  },
});

export const cancelOnDeployment = internalAction({
  args: { convexImportId: v.string() },
  handler: async (ctx, { convexImportId }): Promise<void> => {
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null) return;
    try {
      await deploymentClient(connection).cancelImport(convexImportId);
    } catch {
      // Already finished or failed on Convex's side; the console's record says canceled either way.
    }
  },
});
