import { decodeExportJson } from "../../lib/snapshot/exportJson";
import { classifySnapshotPath } from "../../lib/snapshot/snapshotPaths";
import { ZipReader } from "../../lib/snapshot/zipReader";
import type { ZipEntrySource } from "../../lib/snapshot/zipWriter";

/**
 * What a restore imports, and how. Into another deployment: the whole snapshot with `replaceAll`, or
 * chosen tables with `replace` (file storage, `_storage`, is one of the choices when the backup holds
 * it). Into the deployment the console itself runs on, only the app's own tables, with `replace`:
 * the console's users, sessions, audit, backups and settings live there too, and a restore must
 * never roll them back or delete them. Its file storage is never restored either: `replace` swaps
 * the whole `_storage` table, and the console's own backup copies are files in it.
 */

/**
 * The tables of the app the console watches over, when the console shares its deployment: an
 * allow-list, so a table the console adds later is out of reach until it is named here.
 */
export const APP_TABLES: readonly string[] = ["tasks"];

/**
 * The one rule for writing into the console's own deployment, shared by restores and imports of
 * every format and mode: of the tables named, only the app's are written; every other one (users,
 * invites, sessions, audit, secrets, backups, file storage, components…) is skipped.
 */
export function appTablesOf(tables: readonly string[]): { kept: string[]; skipped: string[] } {
  return {
    kept: tables.filter((table) => APP_TABLES.includes(table)),
    skipped: tables.filter((table) => !APP_TABLES.includes(table)),
  };
}

/** How the skipped tables are told in plain words, wherever the console lists them. */
export function skippedTablesSentence(skipped: readonly string[]): string | null {
  if (skipped.length === 0) return null;
  const shown = skipped.slice(0, 8).join(", ");
  const more = skipped.length > 8 ? ` and ${skipped.length - 8} more` : "";
  return `Skipped: ${shown}${more}. The connected deployment is the console itself, so only the app's tables (${APP_TABLES.join(", ")}) are written; the console's own tables are kept as they are.`;
}

/** File storage, restorable like a table with `replace`: Convex swaps its `_storage` table. */
export const STORAGE_TABLE = "_storage";

export type RestoreMode = "replaceAll" | "replace";

export type RestorePlan =
  | { ok: true; mode: RestoreMode; tables: string[]; leftOut: string[]; filtered: boolean }
  | { ok: false; reason: string };

export function planRestore(input: {
  backupTables: string[];
  /** Whether the backup holds file storage (it was taken with it). */
  backupHasStorage?: boolean;
  isConsoleItself: boolean;
  mode: RestoreMode;
  /** For `replace`: the tables to restore, `_storage` for the file storage. */
  chosenTables?: string[];
}): RestorePlan {
  const { backupTables } = input;
  const storage = input.backupHasStorage ? [STORAGE_TABLE] : [];
  if (input.isConsoleItself) {
    const chosen = input.chosenTables ?? [...APP_TABLES];
    const refused = appTablesOf(chosen).skipped;
    if (refused.length > 0) {
      return {
        ok: false,
        reason: `This deployment is the console's own, so only its app tables (${APP_TABLES.join(", ")}) can be restored; ${refused.join(", ")} cannot.`,
      };
    }
    const tables = chosen.filter((table) => backupTables.includes(table));
    if (tables.length === 0) return { ok: false, reason: "The backup holds none of the app's tables." };
    return {
      ok: true,
      mode: "replace",
      tables,
      leftOut: [...backupTables, ...storage].filter((table) => !tables.includes(table)),
      filtered: true,
    };
  }
  if (input.mode === "replaceAll") {
    return {
      ok: true,
      mode: "replaceAll",
      tables: [...backupTables, ...storage],
      leftOut: [],
      filtered: false,
    };
  }
  const chosen = input.chosenTables ?? [];
  const available = [...backupTables, ...storage];
  const missing = chosen.filter((table) => !available.includes(table));
  if (chosen.length === 0) return { ok: false, reason: "Choose at least one table to restore." };
  if (missing.includes(STORAGE_TABLE)) {
    return { ok: false, reason: "The backup holds no file storage: it was taken without it." };
  }
  if (missing.length > 0) return { ok: false, reason: `The backup holds no table ${missing.join(", ")}.` };
  return {
    ok: true,
    mode: "replace",
    tables: chosen,
    leftOut: available.filter((table) => !chosen.includes(table)),
    filtered: chosen.length < available.length,
  };
}

/**
 * The entries of a snapshot ZIP restricted to some of the app's tables, streamed entry by entry
 * from the stored ZIP into a new one: the README, a `_tables` list of just those tables, and their
 * two files each; file storage (its list and every file) only when `_storage` is kept. Components
 * are left out.
 */
export async function* filteredSnapshotEntries(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  keep: readonly string[],
): AsyncGenerator<ZipEntrySource> {
  const reader = new ZipReader(source);
  for await (const entry of reader.entries()) {
    const path = classifySnapshotPath(entry.name);
    if (path.kind === "readme") {
      yield { name: entry.name, data: entry.chunks() };
    } else if (path.kind === "tableList" && path.component === "") {
      let text = "";
      const decoder = new TextDecoder();
      for await (const chunk of entry.chunks()) text += decoder.decode(chunk, { stream: true });
      text += decoder.decode();
      const kept = text
        .split("\n")
        .filter((line) => {
          if (line.trim() === "") return false;
          const row = decodeExportJson(line) as { name?: unknown };
          return typeof row.name === "string" && keep.includes(row.name);
        })
        .map((line) => `${line}\n`)
        .join("");
      yield { name: entry.name, data: kept };
    } else if (
      (path.kind === "documents" || path.kind === "generatedSchema") &&
      path.component === "" &&
      keep.includes(path.table)
    ) {
      yield { name: entry.name, data: entry.chunks() };
    } else if (
      (path.kind === "storageList" || path.kind === "storageFile") &&
      path.component === "" &&
      keep.includes(STORAGE_TABLE)
    ) {
      yield { name: entry.name, data: entry.chunks() };
    }
  }
}

/** Convex's upload parts: at least 5 MiB each except the last (S3's minimum), in order. */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;

/** Regroups a byte stream into parts of exactly `size` bytes, the last one shorter. */
export async function* uploadParts(
  source: AsyncIterable<Uint8Array>,
  size = UPLOAD_PART_BYTES,
): AsyncGenerator<Uint8Array> {
  let part = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(size - filled, chunk.length - offset);
      part.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield part;
        part = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}
