/**
 * Reads an uploaded import file as Convex's snapshot import does, streaming it from disk:
 *
 *   csv        records as csv_async reads them, through the console's one CSV reader
 *              (`convex/imports/model/csv.ts`: a bare \r ends a record too); a header row, then
 *              one document per record; a cell that parses as a float (Rust's `f64::from_str`,
 *              the one rule in `convexTypes.ts`) becomes a Float64, anything else a string
 *   jsonLines  one JSON object per line; every number is a Float64
 *   jsonArray  one JSON array of objects, at most 16 MiB (read whole, as Convex does)
 *   zip        a snapshot ZIP: `_tables`, `<table>/documents.jsonl` in export JSON with a
 *              "uniform" generated schema (Int64 stays bigint, `_creationTime` a Float64),
 *              `_storage` metadata and files
 *
 * A UTF-8 byte-order mark is refused for JSON formats (`Utf8BomNotSupported`), as Convex does.
 */
import { createReadStream, statSync } from "node:fs";
import type { ExportObject, ExportValue } from "../../convex/lib/snapshot/exportJson.ts";
import { readSnapshot } from "../../convex/lib/snapshot/snapshotReader.ts";
import { csvCellValue } from "../../convex/imports/model/convexTypes.ts";
import { readCsvRecords } from "../../convex/imports/model/csv.ts";
import { LineTooLongError, readLines } from "../../convex/lib/snapshot/lines.ts";
import type { StorageFileMetadata } from "../../convex/lib/snapshot/snapshotZip.ts";

export type ImportFormat = "csv" | "jsonLines" | "jsonArray" | "zip";

/** Convex's limit on a JSON array import (`TRANSACTION_MAX_USER_WRITE_SIZE_BYTES`). */
export const JSON_ARRAY_LIMIT_BYTES = 16 * 1024 * 1024;
/** Documents per batch handed to the caller. */
const BATCH = 1000;

/** An import error with Convex's code (`ImportError` variant) and message. */
export class ImportFormatError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ImportItem =
  | { kind: "tables"; tables: { name: string; tableNumber: number }[] }
  | { kind: "documents"; table: string; documents: ExportObject[] }
  | { kind: "storageMetadata"; files: StorageFileMetadata[] }
  /** Read `chunks` fully before asking for the next item. */
  | { kind: "storageFile"; id: string; chunks: AsyncGenerator<Uint8Array> };

const BOM = [0xef, 0xbb, 0xbf];

async function* textOf(path: string, refuseBom: boolean): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let first = true;
  try {
    for await (const raw of createReadStream(path)) {
      let chunk = raw as Buffer;
      if (first) {
        first = false;
        if (BOM.every((b, i) => chunk[i] === b)) {
          if (refuseBom) {
            throw new ImportFormatError(
              "Utf8BomNotSupported",
              "UTF-8 BOM is not supported. Please save your file without BOM.",
            );
          }
          chunk = chunk.subarray(3);
        }
      }
      yield decoder.decode(chunk, { stream: true });
    }
    yield decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) {
      throw new ImportFormatError("NotUtf8", "Import wasn't valid UTF8: stream did not contain valid UTF-8");
    }
    throw error;
  }
}

/** The file's bytes, streamed. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path)) yield chunk as Buffer;
}

const notUtf8 = () =>
  new ImportFormatError("NotUtf8", "Import wasn't valid UTF8: stream did not contain valid UTF-8");
const bomRefused = () =>
  new ImportFormatError(
    "Utf8BomNotSupported",
    "UTF-8 BOM is not supported. Please save your file without BOM.",
  );

/** A record or line longer than any document Convex accepts, as the import's error. */
function tooLong(error: unknown): unknown {
  return error instanceof LineTooLongError ? new ImportFormatError("JsonInvalidRow", error.message) : error;
}

async function* csvDocuments(path: string, table: string): AsyncGenerator<ImportItem> {
  let header: string[] | null = null;
  let row = 0;
  let batch: ExportObject[] = [];
  try {
    for await (const record of readCsvRecords(fileChunks(path))) {
      if (record.invalidUtf8 !== null) throw notUtf8();
      if (header === null) {
        header = record.fields.map((cell) => cell.replace(/^ +| +$/g, ""));
        for (const name of header) {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > 1024) {
            throw new ImportFormatError(
              "CsvInvalidHeader",
              `CSV header ${JSON.stringify(name)} isn't a valid field name: Identifiers must start with a letter or underscore and only contain letters, digits and underscores`,
            );
          }
        }
        continue;
      }
      row++;
      // csv_async (not flexible) refuses a record of another length than the header.
      if (record.fields.length !== header.length) {
        throw new ImportFormatError(
          "CsvRowMissingFields",
          `CSV row ${row} doesn't have all of the fields in the header`,
        );
      }
      const doc: ExportObject = {};
      for (let i = 0; i < header.length; i++) doc[header[i]!] = csvCellValue(record.fields[i]!);
      batch.push(doc);
      if (batch.length >= BATCH) {
        yield { kind: "documents", table, documents: batch };
        batch = [];
      }
    }
  } catch (error) {
    throw tooLong(error);
  }
  if (header === null) throw new ImportFormatError("CsvMissingHeaders", "CSV file doesn't have headers");
  if (batch.length > 0) yield { kind: "documents", table, documents: batch };
}

/** A JSON value as Convex reads it without a generated schema: numbers are Float64. */
function fromPlainJson(row: number, value: unknown): ExportObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ImportFormatError("NotAnObject", `Row ${row} wasn't an object`);
  }
  return value as ExportObject;
}

async function* jsonLinesDocuments(path: string, table: string): AsyncGenerator<ImportItem> {
  let batch: ExportObject[] = [];
  try {
    for await (const line of readLines(fileChunks(path), () => {
      throw bomRefused();
    })) {
      if (line.invalidUtf8) throw notUtf8();
      if (line.text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch (error) {
        throw new ImportFormatError(
          "JsonInvalidRow",
          `Row ${line.number} wasn't valid JSON: ${(error as Error).message}`,
        );
      }
      batch.push(fromPlainJson(line.number, value));
      if (batch.length >= BATCH) {
        yield { kind: "documents", table, documents: batch };
        batch = [];
      }
    }
  } catch (error) {
    throw tooLong(error);
  }
  if (batch.length > 0) yield { kind: "documents", table, documents: batch };
}

async function* jsonArrayDocuments(path: string, table: string): AsyncGenerator<ImportItem> {
  const size = statSync(path).size;
  if (size > JSON_ARRAY_LIMIT_BYTES) {
    throw new ImportFormatError(
      "JsonArrayTooLarge",
      `Import is too large for JSON (${size} bytes > maximum 16 MiB). Consider converting data to JSONLines`,
    );
  }
  let text = "";
  for await (const chunk of textOf(path, true)) text += chunk;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ImportFormatError("NotJson", `Not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new ImportFormatError("NotJsonArray", "Not a JSON array");
  for (let i = 0; i < value.length; i += BATCH) {
    yield {
      kind: "documents",
      table,
      documents: value.slice(i, i + BATCH).map((v, j) => fromPlainJson(i + j + 1, v)),
    };
  }
}

async function* zipItems(path: string): AsyncGenerator<ImportItem> {
  for await (const item of readSnapshot(createReadStream(path) as AsyncIterable<Uint8Array>)) {
    if (item.component !== "") {
      throw new ImportFormatError("InvalidName", "Components are not supported by the local backend");
    }
    if (item.kind === "tables") yield { kind: "tables", tables: item.tables };
    else if (item.kind === "documents")
      yield { kind: "documents", table: item.table, documents: item.documents };
    else if (item.kind === "storageMetadata") yield { kind: "storageMetadata", files: item.files };
    else yield { kind: "storageFile", id: item.id, chunks: item.chunks };
  }
}

export function readImport(
  path: string,
  format: ImportFormat,
  table: string | null,
): AsyncGenerator<ImportItem> {
  if (format === "zip") return zipItems(path);
  if (table === null)
    throw new ImportFormatError("InvalidName", `A table name is required for format ${format}`);
  if (format === "csv") return csvDocuments(path, table);
  if (format === "jsonLines") return jsonLinesDocuments(path, table);
  return jsonArrayDocuments(path, table);
}

export type { ExportObject, ExportValue };
