import { decodeExportJson, type ExportObject, type ExportValue } from "./exportJson";
import { classifySnapshotPath } from "./snapshotPaths";
import type { StorageFileMetadata } from "./snapshotZip";
import { LineTooLongError, readLines } from "./lines";
import { integrityFirst, keptOpen, ZipReader } from "./zipReader";

/**
 * Reads a snapshot ZIP as a stream of what it holds, for an import or a restore: the table list,
 * documents in batches (at most 1,000 lines or about 1 MiB of text, so a caller can write them in
 * bounded transactions), the `_storage` metadata and each stored file's bytes. Values keep their
 * export JSON types (bigint Int64, number Float64, ArrayBuffer bytes). It checks only what it needs to read;
 * `verifySnapshotZip` is the full check, meant to run first.
 */

export type SnapshotItem =
  | { kind: "tables"; component: string; tables: { name: string; tableNumber: number }[] }
  | { kind: "documents"; component: string; table: string; documents: ExportObject[] }
  | { kind: "storageMetadata"; component: string; files: StorageFileMetadata[] }
  /** Read `chunks` fully (or not at all) before asking for the next item. */
  | { kind: "storageFile"; component: string; id: string; chunks: AsyncGenerator<Uint8Array> };

export class SnapshotFormatError extends Error {
  override name = "SnapshotFormatError";
}

/** Lines per batch, and characters: a caller writes a batch in one bounded transaction. */
const BATCH_LINES = 1000;
const BATCH_CHARS = 1 << 20;

/** Batches of an entry's lines, each line bounded by MAX_LINE_BYTES. */
async function* lines(name: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  let batch: string[] = [];
  let chars = 0;
  try {
    for await (const line of readLines(chunks)) {
      if (line.invalidUtf8) throw new SnapshotFormatError(`${name}: line ${line.number} is not valid UTF-8.`);
      batch.push(line.text);
      chars += line.text.length;
      if (batch.length >= BATCH_LINES || chars >= BATCH_CHARS) {
        yield batch;
        batch = [];
        chars = 0;
      }
    }
  } catch (error) {
    if (error instanceof LineTooLongError) throw new SnapshotFormatError(`${name}: ${error.message}`);
    throw error;
  }
  yield batch;
}

function parseObject(name: string, line: string, lineNumber: number): ExportObject {
  let value: ExportValue;
  try {
    value = decodeExportJson(line);
  } catch (error) {
    throw new SnapshotFormatError(
      `${name}: line ${lineNumber} is not valid export JSON (${(error as Error).message})`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof ArrayBuffer) {
    throw new SnapshotFormatError(`${name}: line ${lineNumber} is not a JSON object.`);
  }
  return value;
}

export async function* readSnapshot(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<SnapshotItem> {
  const reader = new ZipReader(source);
  let finished = false;
  try {
    for await (const entry of reader.entries()) {
      if (entry.isDirectory) continue;
      const name = entry.name;
      const path = classifySnapshotPath(name);
      if (path.kind === "storageFile") {
        yield { kind: "storageFile", component: path.component, id: path.id, chunks: entry.chunks() };
        continue;
      }
      if (path.kind === "readme" || path.kind === "other") continue;
      // Lines are judged as they stream; a bad one is reported only once the entry's CRC-32 and
      // size are known to be right (else the damage is what is reported).
      const body = entry.chunks();
      const chunks = keptOpen(body);
      let lineNumber = 0;
      try {
        if (path.kind === "tableList") {
          const tables: { name: string; tableNumber: number }[] = [];
          for await (const batch of lines(name, chunks)) {
            for (const line of batch) {
              const row = parseObject(name, line, ++lineNumber);
              if (typeof row.name !== "string" || typeof row.id !== "bigint") {
                throw new SnapshotFormatError(
                  `${name}: line ${lineNumber} should be {"name": <table>, "id": <number>}.`,
                );
              }
              tables.push({ name: row.name, tableNumber: Number(row.id) });
            }
          }
          yield { kind: "tables", component: path.component, tables };
        } else if (path.kind === "documents") {
          for await (const batch of lines(name, chunks)) {
            const documents = batch.map((line) => parseObject(name, line, ++lineNumber));
            if (documents.length > 0)
              yield { kind: "documents", component: path.component, table: path.table, documents };
          }
        } else if (path.kind === "generatedSchema") {
          for await (const batch of lines(name, chunks)) {
            if (lineNumber === 0 && batch.length > 0) {
              lineNumber = 1;
              if (batch[0]!.trim() !== '"uniform"') {
                throw new SnapshotFormatError(
                  `${name} is a legacy schema (not "uniform"); this reader only knows the uniform export JSON encoding.`,
                );
              }
            }
          }
        } else if (path.kind === "storageList") {
          const files: StorageFileMetadata[] = [];
          for await (const batch of lines(name, chunks)) {
            for (const line of batch) {
              const row = parseObject(name, line, ++lineNumber);
              const { _id, _creationTime, sha256, size, contentType, internalId } = row;
              if (typeof _id !== "string" || typeof sha256 !== "string" || typeof size !== "bigint") {
                throw new SnapshotFormatError(`${name}: line ${lineNumber} lacks _id, sha256 or size.`);
              }
              files.push({
                id: _id,
                creationTime: typeof _creationTime === "number" ? _creationTime : Number(_creationTime ?? 0),
                sha256,
                size: Number(size),
                contentType: typeof contentType === "string" ? contentType : null,
                internalId: typeof internalId === "string" ? internalId : "",
              });
            }
          }
          yield { kind: "storageMetadata", component: path.component, files };
        }
      } catch (error) {
        await integrityFirst(body, error);
      }
    }
    finished = true;
  } finally {
    if (!finished) await reader.close().catch(() => {});
  }
}
