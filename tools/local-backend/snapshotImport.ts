/**
 * Snapshot imports, as a Convex deployment runs them for `npx convex import` and restores: an
 * upload appended part by part to a file in the data folder, then a `_snapshot_imports` record
 * that moves uploaded → waiting_for_confirmation {message_to_confirm} → (perform_import)
 * in_progress {progress_message, checkpoint_messages} → completed {timestamp, num_rows_written}
 * or failed {error_message}.
 *
 * Modes, as on Convex: requireEmpty refuses a table that has documents; append inserts (batch by
 * batch, not atomic); replace swaps each imported table in one commit; replaceAll also empties
 * every other user table in that commit. `_id`s in the file are kept when they are ids of their
 * table (so a restored ZIP brings every document back under its own id), table numbers follow
 * the ZIP's `_tables`, `_storage` files are checked against their SHA-256, and every document
 * goes through the schema before anything is written. Writes go through the engine, so
 * subscriptions update and the commit is durable before the import is reported completed.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Value } from "convex/values";
import { decodeConvexId, encodeConvexId } from "../../convex/lib/snapshot/convexId.ts";
import { compareUtf8 } from "../../convex/lib/snapshot/exportJson.ts";
import type { StorageFileMetadata } from "../../convex/lib/snapshot/snapshotZip.ts";
import { ApiError } from "./httpHelpers.ts";
import { SnapshotJobs } from "./snapshotJobs.ts";
import { ImportFormatError, readImport, type ExportObject, type ImportFormat } from "./importFormats.ts";
import { IMPORTS_TABLE, type SystemDoc } from "./systemTables.ts";
import { isSystemTable } from "./tableNumbers.ts";

export type ImportMode = "requireEmpty" | "append" | "replace" | "replaceAll";
const MODES: Record<ImportMode, string> = {
  requireEmpty: "RequireEmpty",
  append: "Append",
  replace: "Replace",
  replaceAll: "ReplaceAll",
};
const STORED_FORMAT: Record<ImportFormat, string> = {
  csv: "csv",
  jsonLines: "jsonl",
  jsonArray: "json_array",
  zip: "zip",
};
const STORAGE_TABLE = "_storage";
/** Documents per commit of an append import (Convex writes appends in bounded transactions). */
const APPEND_BATCH = 4000;

const formatCount = (n: number) => n.toLocaleString("en-US");

/** An import failure; the message is what the import's error_message shows after the prefix. */
class ImportFailure extends Error {}

type Doc = Record<string, Value> & { _id: string; _creationTime: number };

interface TableChange {
  added: number;
  deleted: number;
  existing: number;
  unit: string;
  missingId: boolean;
}

/** Convex's change table: `table | create | delete |`, columns padded, a dashed rule under the header. */
export function renderTableChanges(changes: [string, TableChange][]): string[] {
  const parts: [string, string, string][] = [["table", "create", "delete"]];
  for (const [name, change] of changes) {
    parts.push([
      name,
      formatCount(change.added),
      `${formatCount(change.deleted)} of ${formatCount(change.existing)}${change.unit}`,
    ]);
  }
  const width = (i: 0 | 1 | 2) => Math.max(...parts.map((p) => p[i].length));
  const [w0, w1, w2] = [width(0), width(1), width(2)];
  const lines: string[] = [];
  parts.forEach(([a, b, c], i) => {
    lines.push(`${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c.padEnd(w2)} |`);
    if (i === 0) lines.push("-".repeat(w0 + 3 + w1 + 3 + w2 + 2));
  });
  return lines;
}

export const CONFIRMATION_FOOTER =
  "Once the import has started, it will run in the background.\nInterrupting `npx convex import` will not cancel it.";

interface ImportRequest {
  format: ImportFormat;
  mode: ImportMode;
  tableName: string | null;
}

export class SnapshotImports extends SnapshotJobs {
  private readonly uploads = new Map<string, { path: string; chain: Promise<void> }>();
  private readonly canceled = new Set<string>();

  get(id: string): SystemDoc | null {
    const doc = this.system.get(id);
    return doc && this.system.list(IMPORTS_TABLE).includes(doc) ? doc : null;
  }

  /** The newest 20 imports, newest first (`_system/cli/queryImport:list`). */
  list(): SystemDoc[] {
    return this.system.list(IMPORTS_TABLE).reverse().slice(0, 20);
  }

  startUpload(): string {
    const token = randomBytes(16).toString("hex");
    const path = join(this.dir, `${token}.upload`);
    writeFileSync(path, "", { mode: 0o600 });
    this.uploads.set(token, { path, chain: Promise.resolve() });
    return token;
  }

  /** Appends a part in arrival order, as Convex's local storage does; resolves once on disk. */
  async uploadPart(token: string, body: IncomingMessage): Promise<void> {
    const upload = this.uploads.get(token);
    if (!upload) throw new ApiError(400, "InvalidUploadToken", "Unknown upload token");
    const write = upload.chain.then(() => pipeline(body, createWriteStream(upload.path, { flags: "a" })));
    upload.chain = write.catch(() => undefined);
    await write;
  }

  async finishUpload(body: unknown): Promise<string> {
    const { uploadToken, import: args } = (body ?? {}) as { uploadToken?: unknown; import?: unknown };
    const upload = typeof uploadToken === "string" ? this.uploads.get(uploadToken) : undefined;
    if (!upload) throw new ApiError(400, "InvalidUploadToken", "Unknown upload token");
    const request = parseImportArgs(args);
    this.uploads.delete(uploadToken as string);
    await upload.chain;
    const doc = await this.system.insert(IMPORTS_TABLE, {
      state: { state: "uploaded" },
      format:
        request.format === "zip"
          ? { format: "zip" }
          : { format: STORED_FORMAT[request.format], table: request.tableName! },
      mode: MODES[request.mode],
      component_path: null,
      object_key: `${uploadToken as string}.upload`,
      member_id: null,
      checkpoints: null,
      requestor: { type: "snapshotImport" },
    });
    void this.guard(doc._id, () => this.prepare(doc._id, request, upload.path));
    return doc._id;
  }

  /** Confirms an import waiting for confirmation; does nothing in any other state. */
  async perform(importId: unknown): Promise<void> {
    const doc = typeof importId === "string" ? this.get(importId) : null;
    if (!doc) throw new ApiError(404, "ImportNotFound", `Import ${String(importId)} not found`);
    if ((doc.state as { state: string }).state !== "waiting_for_confirmation") return;
    await this.setState(doc._id, {
      state: "in_progress",
      progress_message: "Importing",
      checkpoint_messages: [],
    });
    const request = requestOf(doc);
    void this.guard(doc._id, () => this.run(doc._id, request, join(this.dir, doc.object_key as string)));
  }

  async cancel(importId: unknown): Promise<void> {
    const doc = typeof importId === "string" ? this.get(importId) : null;
    if (!doc) throw new ApiError(404, "ImportNotFound", `Import ${String(importId)} not found`);
    const state = (doc.state as { state: string }).state;
    if (state === "completed" || state === "failed") {
      throw new ApiError(400, "CannotCancelImport", `Cannot cancel an import in state "${state}"`);
    }
    this.canceled.add(doc._id);
    await this.fail(doc._id, "Import canceled");
  }

  /** Imports interrupted by a stop fail, as Convex's do after too many attempts. */
  async failInterrupted(): Promise<void> {
    for (const doc of this.system.list(IMPORTS_TABLE)) {
      const state = (doc.state as { state: string }).state;
      if (state === "uploaded" || state === "in_progress") {
        await this.fail(
          doc._id,
          "Hit an error while importing:\nThe local backend stopped during the import.",
        );
      }
    }
  }

  private async guard(id: string, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      if (this.canceled.has(id)) return;
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof ImportFailure || error instanceof ImportFormatError)) {
        this.log(`import ${id} failed: ${message}`);
      }
      await this.fail(id, `Hit an error while importing:\n${message}`);
      this.removeUpload(id);
    }
  }

  private removeUpload(id: string) {
    const doc = this.get(id);
    if (doc) rmSync(join(this.dir, doc.object_key as string), { force: true });
  }

  private async fail(id: string, message: string) {
    await this.setState(id, { state: "failed", error_message: message });
  }

  private async setState(id: string, state: Record<string, Value>, checkpoints?: Value) {
    const doc = this.get(id);
    if (!doc) return;
    const { _id: _i, _creationTime: _c, ...fields } = doc;
    await this.system.replace(id, {
      ...fields,
      state,
      ...(checkpoints !== undefined ? { checkpoints } : {}),
    });
  }

  /** Counts what the file holds per table and builds Convex's confirmation message. */
  private async prepare(id: string, request: ImportRequest, path: string) {
    const counts = new Map<string, number>();
    const missingId = new Set<string>();
    for await (const item of readImport(path, request.format, request.tableName)) {
      if (item.kind === "tables") for (const t of item.tables) counts.set(t.name, counts.get(t.name) ?? 0);
      else if (item.kind === "documents") {
        counts.set(item.table, (counts.get(item.table) ?? 0) + item.documents.length);
        if (item.documents.some((d) => d._id === undefined)) missingId.add(item.table);
      } else if (item.kind === "storageMetadata") {
        counts.set(STORAGE_TABLE, (counts.get(STORAGE_TABLE) ?? 0) + item.files.length);
      } else {
        // File bodies are counted by the metadata; the reader still has to pass over them.
        for await (const chunk of item.chunks) void chunk;
      }
    }
    const existing = this.existingCounts();
    if (request.mode === "replaceAll") {
      for (const table of this.activeUserTables(existing)) if (!counts.has(table)) counts.set(table, 0);
    }
    const changes: [string, TableChange][] = [];
    for (const [table, added] of [...counts].sort((a, b) => compareUtf8(a[0], b[0]))) {
      if (isSystemTable(table) && table !== STORAGE_TABLE) continue;
      const count = existing.get(table) ?? 0;
      if (request.mode === "requireEmpty" && count > 0) {
        throw new ImportFailure(
          `Table ${table} already exists. Please choose a new table name or use replace/append modes.`,
        );
      }
      const deleted = request.mode === "replace" || request.mode === "replaceAll" ? count : 0;
      changes.push([
        table,
        {
          added,
          deleted,
          existing: count,
          unit: table === STORAGE_TABLE ? " files" : "",
          missingId: missingId.has(table),
        },
      ]);
    }
    const lines = changes.length > 0 ? ["Import change summary:", ...renderTableChanges(changes)] : [];
    lines.push(CONFIRMATION_FOOTER);
    if (this.canceled.has(id)) return;
    await this.setState(
      id,
      {
        state: "waiting_for_confirmation",
        message_to_confirm: lines.join("\n"),
        require_manual_confirmation: changes.some(([, c]) => c.deleted > 0),
      },
      changes.map(([table, c]) => ({
        component_path: null,
        display_table_name: table,
        tablet_id: null,
        total_num_rows_to_write: BigInt(c.added),
        num_rows_written: 0n,
        existing_rows_in_table: BigInt(c.existing),
        existing_rows_to_delete: BigInt(c.deleted),
        is_missing_id_field: c.missingId,
      })),
    );
  }

  private existingCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [table, docs] of this.engine.committedSnapshot().tables) counts.set(table, docs.length);
    return counts;
  }

  /** User tables that exist: empty or not (see `userTableNames`), and any with documents. */
  private activeUserTables(existing: Map<string, number>): string[] {
    const tables = new Set(this.engine.userTableNames());
    for (const [table, count] of existing) if (!isSystemTable(table) && count > 0) tables.add(table);
    return [...tables];
  }

  /**
   * Runs a confirmed import without holding the file's documents in memory: a first pass over the
   * file learns its tables, their numbers and row counts (and reads `_storage` files, which are
   * stored whole); then the documents stream from the file again into one commit, each checked on
   * the way, and the first bad one rolls the whole commit back. An append checks every document in
   * a pass of its own first, then writes in bounded commits, as Convex does.
   */
  private async run(id: string, request: ImportRequest, path: string) {
    const started = Date.now();
    const listedNumbers = new Map<string, number>();
    const tablesInFile = new Map<string, { rows: number; firstId: unknown }>();
    const storageMeta = new Map<string, StorageFileMetadata>();
    const files = new Map<string, Blob>();
    const digests = new Map<string, string>();
    const checkpointMessages: string[] = [];
    let progressAt = 0;
    const progress = async (message: string, force = false) => {
      if (this.canceled.has(id)) throw new ImportFailure("Import canceled");
      if (!force && Date.now() - progressAt < 1000) return;
      progressAt = Date.now();
      await this.setState(id, {
        state: "in_progress",
        progress_message: message,
        checkpoint_messages: [...checkpointMessages],
      });
    };

    for await (const item of readImport(path, request.format, request.tableName)) {
      if (item.kind === "tables") for (const t of item.tables) listedNumbers.set(t.name, t.tableNumber);
      else if (item.kind === "documents") {
        if (isSystemTable(item.table)) continue;
        let table = tablesInFile.get(item.table);
        if (!table) tablesInFile.set(item.table, (table = { rows: 0, firstId: item.documents[0]?._id }));
        table.rows += item.documents.length;
        await progress(`Reading "${item.table}" (${formatCount(table.rows)} documents)`);
      } else if (item.kind === "storageMetadata") {
        for (const file of item.files) storageMeta.set(file.id, file);
      } else {
        const file = await this.readStorageFile(item.id, item.chunks, storageMeta.get(item.id));
        files.set(item.id, file.blob);
        digests.set(item.id, file.sha256);
        await progress(
          `Importing "_storage" (${formatCount(files.size)}/${formatCount(storageMeta.size)} files)`,
        );
      }
    }
    for (const table of listedNumbers.keys()) {
      if (!tablesInFile.has(table)) tablesInFile.set(table, { rows: 0, firstId: undefined });
    }

    const existing = this.existingCounts();
    const importsStorage = storageMeta.size > 0 || files.size > 0;
    const replacing =
      request.mode === "replace" || request.mode === "replaceAll" || request.mode === "requireEmpty";
    const imported = [...tablesInFile.keys(), ...(importsStorage ? [STORAGE_TABLE] : [])];
    const clearTables =
      request.mode === "replace" || request.mode === "replaceAll"
        ? request.mode === "replaceAll"
          ? [...new Set([...imported, ...this.activeUserTables(existing)])]
          : imported
        : [];
    if (request.mode === "requireEmpty") {
      for (const table of imported) {
        if ((existing.get(table) ?? 0) > 0) {
          throw new ImportFailure(
            `Table ${table} already exists. Please choose a new table name or use replace/append modes.`,
          );
        }
      }
    }

    // Each imported table's number: the ZIP's list, else its first document's id, else the
    // table's own, else a new one. Only a table being replaced may move.
    const numbers = this.engine.tableNumbers;
    const renumber: [string, number][] = [];
    const numberOf = new Map<string, number>();
    const firstIds = new Map<string, unknown>();
    for (const [table, { firstId }] of tablesInFile) firstIds.set(table, firstId);
    if (importsStorage)
      firstIds.set(STORAGE_TABLE, storageMeta.keys().next().value ?? files.keys().next().value);
    for (const table of imported) {
      const own = numbers.numberOf(table);
      const fromFile =
        listedNumbers.get(table) ??
        (typeof firstIds.get(table) === "string"
          ? (decodeConvexId(firstIds.get(table) as string)?.tableNumber ?? undefined)
          : undefined);
      const canMove = replacing && (clearTables.includes(table) || (existing.get(table) ?? 0) === 0);
      let number = own;
      if (fromFile !== undefined && fromFile !== own && canMove) {
        const holder = numbers.nameOf(fromFile);
        const holderKeepsDocs =
          holder !== undefined && !clearTables.includes(holder) && (existing.get(holder) ?? 0) > 0;
        if (holderKeepsDocs || (holder !== undefined && isSystemTable(holder) !== isSystemTable(table))) {
          throw new ImportFailure(
            `Table ${table} has number ${fromFile} in the import, which table ${holder} uses here. ` +
              "Import with replaceAll, or into a table without that conflict.",
          );
        }
        number = fromFile;
        renumber.push([table, fromFile]);
      }
      numberOf.set(table, number ?? numbers.assign(table));
    }
    if (numbers.takeChanged()) await this.saveTableNumbers();

    let creation = Date.now();
    /** Checks one row and makes it a document; `seen` holds the ids met so far in this pass. */
    const build = (table: string, row: number, fields: ExportObject, seen: Set<string>): Doc => {
      const { _id, _creationTime, ...rest } = fields;
      const tableNumber = numberOf.get(table)!;
      let id: string;
      if (_id === undefined) id = encodeConvexId(tableNumber, randomBytes(16));
      else {
        const decoded = typeof _id === "string" ? decodeConvexId(_id) : null;
        if (decoded === null)
          throw new ImportFailure(
            `Row ${row} of table ${table}: _id ${String(_id)} is not a valid Convex id.`,
          );
        if (decoded.tableNumber !== tableNumber) {
          throw new ImportFailure(
            `Row ${row} of table ${table}: _id ${String(_id)} is an id of another table (it came from a different deployment or table). Remove the _id field to import it with a new id.`,
          );
        }
        id = _id as string;
        if (request.mode === "append" && this.engine.hasDocument(id)) {
          throw new ImportFailure(`Row ${row} of table ${table}: a document with _id ${id} already exists.`);
        }
      }
      if (seen.has(id)) throw new ImportFailure(`Row ${row} of table ${table}: duplicate _id ${id}.`);
      seen.add(id);
      let creationTime: number;
      if (_creationTime === undefined) creationTime = creation += 0.001;
      else if (typeof _creationTime === "number") creationTime = _creationTime;
      else {
        throw new ImportFailure(
          `Row ${row} of table ${table}: _creationTime must be a Float64 (written with a decimal point in export JSON), got ${String(_creationTime)}.`,
        );
      }
      for (const key of Object.keys(rest)) {
        if (key.startsWith("_"))
          throw new ImportFailure(`Row ${row} of table ${table}: field ${key} is a system field.`);
      }
      const values = rest as Record<string, Value>;
      try {
        this.engine.validateDocument(table, values);
      } catch (error) {
        throw new ImportFailure(
          `Failed to insert or update a document in table "${table}" because it does not match the schema: ${(error as Error).message}`,
        );
      }
      return { ...values, _id: id, _creationTime: creationTime };
    };

    const userRows = [...tablesInFile.values()].reduce((sum, t) => sum + t.rows, 0);
    const totalRows = userRows + files.size;
    /** The file's documents, then the stored files' `_storage` documents, checked one by one. */
    const documents = async function* (this: SnapshotImports): AsyncGenerator<{ table: string; doc: Doc }> {
      const seen = new Set<string>();
      const rowOf = new Map<string, number>();
      let done = 0;
      for await (const item of readImport(path, request.format, request.tableName)) {
        if (item.kind === "storageFile") {
          // Already read in the first pass; the reader still has to pass over it.
          for await (const chunk of item.chunks) void chunk;
        }
        if (item.kind !== "documents" || isSystemTable(item.table)) continue;
        let row = rowOf.get(item.table) ?? 0;
        for (const fields of item.documents)
          yield { table: item.table, doc: build(item.table, ++row, fields, seen) };
        rowOf.set(item.table, row);
        done += item.documents.length;
        await progress(
          `Importing "${item.table}" (${formatCount(done)} / ${formatCount(totalRows)} documents)`,
        );
      }
      let fileRow = 0;
      for (const [fileId, blob] of files) {
        const meta = storageMeta.get(fileId);
        const fields: ExportObject = {
          _id: fileId,
          _creationTime: meta?.creationTime ?? (creation += 0.001),
          sha256: digests.get(fileId)!,
          size: blob.size,
          ...(meta?.contentType ? { contentType: meta.contentType } : {}),
          // Convex keeps the file's storage UUID from the ZIP (`import_file_storage.rs`).
          ...(meta?.internalId ? { internalId: meta.internalId } : {}),
        };
        yield { table: STORAGE_TABLE, doc: build(STORAGE_TABLE, ++fileRow, fields, seen) };
      }
    }.bind(this);

    let timestamp: bigint | null = null;
    if (request.mode === "append") {
      // Every row is checked before any is written: the writes below are not one commit.
      for await (const _checked of documents()) void _checked;
      let batch: { table: string; doc: Doc }[] = [];
      let written = 0;
      const commit = async () => {
        await progress(`Importing (${formatCount(written)} / ${formatCount(totalRows)} documents)`, true);
        timestamp = await this.engine.commitImport({
          clearTables: [],
          tableNumbers: [],
          documents: batch,
          files: written === 0 ? files : new Map(),
        });
        written += batch.length;
        batch = [];
      };
      // The same rows again (each id is new to the store until its own batch is written).
      for await (const entry of documents()) {
        batch.push(entry);
        if (batch.length === APPEND_BATCH) await commit();
      }
      if (batch.length > 0) await commit();
    } else {
      await progress(`Importing ${formatCount(totalRows)} documents`, true);
      timestamp = await this.engine.commitImport({
        clearTables,
        tableNumbers: renumber,
        documents: documents(),
        files,
      });
    }
    if (request.mode === "replaceAll") {
      // Convex deletes the user tables neither in the import nor in the schema; the rest exist,
      // even those the ZIP brought empty.
      const kept = new Set([...imported, ...this.engine.schemaTableNames()]);
      for (const table of clearTables) if (!isSystemTable(table) && !kept.has(table)) numbers.remove(table);
    }
    if (numbers.takeChanged()) await this.saveTableNumbers();
    for (const [table, { rows }] of tablesInFile) {
      checkpointMessages.push(`Imported "${table}" (${formatCount(rows)} documents)`);
    }
    const doc = this.get(id);
    const checkpoints = ((doc?.checkpoints ?? []) as Record<string, Value>[]).map((c) => ({
      ...c,
      num_rows_written: c.total_num_rows_to_write!,
    }));
    await this.setState(
      id,
      {
        state: "completed",
        timestamp: timestamp ?? this.engine.lastCommitTs,
        num_rows_written: BigInt(userRows),
      },
      checkpoints,
    );
    this.removeUpload(id);
    this.log(`import ${id} wrote ${formatCount(userRows)} documents in ${Date.now() - started} ms`);
  }

  /** Reads one `_storage` file of a ZIP, checking its SHA-256 and size against its metadata. */
  private async readStorageFile(
    id: string,
    chunks: AsyncGenerator<Uint8Array>,
    meta: StorageFileMetadata | undefined,
  ): Promise<{ blob: Blob; sha256: string }> {
    const hash = createHash("sha256");
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of chunks) {
      hash.update(chunk);
      parts.push(chunk);
      size += chunk.length;
    }
    const digest = hash.digest("base64");
    if (meta && meta.sha256 !== digest) {
      throw new ImportFailure(
        `File ${id} in _storage does not match its SHA-256 (expected ${meta.sha256}, got ${digest}).`,
      );
    }
    if (meta && meta.size !== size) {
      throw new ImportFailure(`File ${id} in _storage has ${size} bytes; its metadata says ${meta.size}.`);
    }
    const blob = new Blob(parts as BlobPart[], meta?.contentType ? { type: meta.contentType } : {});
    return { blob, sha256: digest };
  }
}

function requestOf(doc: SystemDoc): ImportRequest {
  const format = doc.format as { format: string; table?: string };
  const storedToFormat = Object.fromEntries(Object.entries(STORED_FORMAT).map(([k, v]) => [v, k])) as Record<
    string,
    ImportFormat
  >;
  const modeOf = Object.fromEntries(Object.entries(MODES).map(([k, v]) => [v, k])) as Record<
    string,
    ImportMode
  >;
  return {
    format: storedToFormat[format.format]!,
    mode: modeOf[doc.mode as string]!,
    tableName: format.table ?? null,
  };
}

/** Checks `finish_upload`'s `import` argument as Convex does. */
export function parseImportArgs(args: unknown): ImportRequest {
  if (typeof args !== "object" || args === null) {
    throw new ApiError(400, "InvalidImport", "Expected an `import` object with a format and a mode");
  }
  const { format, mode, tableName, componentPath } = args as Record<string, unknown>;
  if (format !== "csv" && format !== "jsonLines" && format !== "jsonArray" && format !== "zip") {
    throw new ApiError(400, "InvalidImportFormat", `Unknown import format ${JSON.stringify(format)}`);
  }
  const chosenMode = mode ?? "requireEmpty";
  if (!Object.hasOwn(MODES, chosenMode as string)) {
    throw new ApiError(400, "InvalidImportMode", `Unknown import mode ${JSON.stringify(mode)}`);
  }
  if (componentPath !== undefined && componentPath !== null && componentPath !== "") {
    throw new ApiError(400, "InvalidComponent", "Components are not supported by the local backend");
  }
  if (format === "zip") {
    if (tableName !== undefined && tableName !== null) {
      throw new ApiError(400, "InvalidName", "Table name cannot be specified for a zip import");
    }
    return { format, mode: chosenMode as ImportMode, tableName: null };
  }
  if (typeof tableName !== "string" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(tableName) || tableName.length > 64) {
    throw new ApiError(400, "InvalidName", `${JSON.stringify(tableName ?? "")} isn't a valid table name`);
  }
  return { format, mode: chosenMode as ImportMode, tableName };
}
