import { encodeExportJson, formatFloat64, type ExportObject } from "./exportJson";
import { zipChunks, type ZipEntrySource, type ZipWriterOptions } from "./zipWriter";

/** README.md of every Convex snapshot export, byte for byte. */
export const SNAPSHOT_README = `# Welcome to your Convex snapshot export!

This ZIP file contains a snapshot of the tables in your Convex deployment.

Documents for each table are listed as lines of JSON in
<table_name>/documents.jsonl files.

For details on the format and how to use this snapshot with npx convex import,
check out [the docs](https://docs.convex.dev/database/import-export/export) or
ask us in [Discord](http://convex.dev/community).
`;

/** The one line of every `generated_schema.jsonl`: values use the uniform export JSON encoding. */
export const UNIFORM_GENERATED_SCHEMA = '"uniform"\n';

export type SnapshotTable = {
  name: string;
  tableNumber: number;
  /** Convex writes tables smallest first; tables without a size keep their given order after sized ones. */
  totalSize?: number;
  documents: Iterable<ExportObject> | AsyncIterable<ExportObject>;
};

/** One `_storage` row, as `_storage/documents.jsonl` holds it. */
export type StorageFileMetadata = {
  id: string;
  creationTime: number;
  /** Base64 SHA-256 of the file. */
  sha256: string;
  size: number;
  contentType: string | null;
  internalId: string;
};

export type SnapshotStorage = {
  /** Called twice: once for `_storage/documents.jsonl`, once to write the files in the same order. */
  files: () => Iterable<StorageFileMetadata> | AsyncIterable<StorageFileMetadata>;
  open: (file: StorageFileMetadata) => Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
};

export type Snapshot = { tables: SnapshotTable[]; storage?: SnapshotStorage };

/** The first extension mime-db lists for common types (Convex uses mime2ext); others get none, which import accepts. */
const EXTENSIONS: Record<string, string> = {
  "application/json": "json",
  "application/octet-stream": "bin",
  "application/pdf": "pdf",
  "application/zip": "zip",
  "image/gif": "gif",
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/svg+xml": "svg",
  "image/webp": "webp",
  "text/csv": "csv",
  "text/html": "html",
  "text/plain": "txt",
  "video/mp4": "mp4",
};

export function storageFileName(file: Pick<StorageFileMetadata, "id" | "contentType">): string {
  const type = file.contentType?.split(";")[0]?.trim().toLowerCase();
  const extension = type ? EXTENSIONS[type] : undefined;
  return `_storage/${file.id}${extension ? `.${extension}` : ""}`;
}

/** A `_storage/documents.jsonl` line; the keys keep this order (it is a struct in Convex, not a map). */
export function storageMetadataLine(file: StorageFileMetadata): string {
  return (
    `{"_id":${JSON.stringify(file.id)},"_creationTime":${formatFloat64(file.creationTime)},` +
    `"sha256":${JSON.stringify(file.sha256)},"size":${Math.trunc(file.size)},` +
    `"contentType":${file.contentType === null ? "null" : JSON.stringify(file.contentType)},` +
    `"internalId":${JSON.stringify(file.internalId)}}\n`
  );
}

/** Joins lines into ~64 KiB strings so each ZIP write carries many documents. */
async function* batchedLines<T>(
  items: Iterable<T> | AsyncIterable<T>,
  toLine: (item: T) => string,
): AsyncGenerator<string> {
  let batch = "";
  for await (const item of items) {
    batch += toLine(item);
    if (batch.length >= 65536) {
      yield batch;
      batch = "";
    }
  }
  if (batch) yield batch;
}

/** The entries of a snapshot ZIP, in the order Convex writes them. */
export async function* snapshotEntries(snapshot: Snapshot): AsyncGenerator<ZipEntrySource> {
  yield { name: "README.md", data: SNAPSHOT_README };
  const byNumber = [...snapshot.tables].sort((a, b) => a.tableNumber - b.tableNumber);
  yield {
    name: "_tables/documents.jsonl",
    data: byNumber
      .map((table) => `${JSON.stringify({ name: table.name, id: table.tableNumber })}\n`)
      .join(""),
  };
  const bySize = [...snapshot.tables].sort(
    (a, b) => (a.totalSize ?? Number.POSITIVE_INFINITY) - (b.totalSize ?? Number.POSITIVE_INFINITY),
  );
  for (const table of bySize) {
    yield {
      name: `${table.name}/documents.jsonl`,
      data: batchedLines(table.documents, (document) => `${encodeExportJson(document)}\n`),
    };
    yield { name: `${table.name}/generated_schema.jsonl`, data: UNIFORM_GENERATED_SCHEMA };
  }
  const storage = snapshot.storage;
  if (!storage) return;
  yield { name: "_storage/documents.jsonl", data: batchedLines(storage.files(), storageMetadataLine) };
  for await (const file of storage.files()) yield { name: storageFileName(file), data: storage.open(file) };
}

/** A whole snapshot ZIP as a pull-driven byte stream. */
export function snapshotZipChunks(snapshot: Snapshot, options: ZipWriterOptions): AsyncGenerator<Uint8Array> {
  return zipChunks(snapshotEntries(snapshot), options);
}
