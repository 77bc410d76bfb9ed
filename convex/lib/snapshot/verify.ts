import { decodeBase64, encodeBase64 } from "./base64";
import { convexIdTableNumber } from "./convexId";
import { decodeExportJson, ExportJsonError, plainDocumentId, type ExportValue } from "./exportJson";
import { Sha256 } from "./sha256";
import { classifySnapshotPath } from "./snapshotPaths";
import { LineTooLongError, linesOfRun, readLineRuns, type LineRun } from "./lines";
import { integrityFirst, keptOpen, ZipFormatError, ZipReader } from "./zipReader";

/**
 * Verifies a snapshot ZIP as it streams: every entry inflates with a matching CRC-32 (the reader),
 * the layout is complete (README.md, `_tables/documents.jsonl`, both files of every listed table,
 * `_storage/documents.jsonl` when file storage was included), every document line parses as export
 * JSON with a valid `_id` of its table and a Float64 `_creationTime` (import refuses anything else),
 * rows are counted per table, and each `_storage` file matches its SHA-256 and size. It stops at the
 * first problem and says precisely what and where. Memory holds one line and one entry's state, plus
 * a small record per table and per stored file.
 */

export type TableRowCount = {
  /** "" for the app's own tables; `_components/<name>/…` for a component's. */
  component: string;
  table: string;
  rows: number;
};

export type VerifyProgress = { bytesRead: number; entriesRead: number; rowsRead: number; entry: string };

export type VerifyOptions = {
  /** The backup was requested with file storage, so `_storage/documents.jsonl` must be there. */
  expectStorage: boolean;
  /** Lowercase hex SHA-256 recorded when the ZIP was copied. */
  expectedSha256?: string;
  /** Size the export reported, in bytes. */
  expectedSize?: number;
  onProgress?: (progress: VerifyProgress) => void | Promise<void>;
};

type Totals = {
  tables: TableRowCount[];
  totalRows: number;
  storageFiles: number;
  storageBytes: number;
  zipBytes: number;
  /** Bytes of all entries once inflated. */
  uncompressedBytes: number;
  entries: number;
};

export type VerificationResult =
  | (Totals & { ok: true; sha256: string; notes: string[] })
  | (Totals & { ok: false; reason: string; notes: string[] });

class VerifyFailure extends Error {}

type TableState = {
  component: string;
  table: string;
  listedNumber?: number;
  idNumber?: number;
  rows: number;
  hasDocuments: boolean;
  hasSchema: boolean;
};
type StorageState = {
  expected?: { sha256: string; size: number };
  actual?: { sha256: string; size: number };
};

const strict = new TextDecoder("utf-8", { fatal: true });

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

async function* tap(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  hash: Sha256,
): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    for await (const chunk of source as AsyncIterable<Uint8Array>) yield hash.update(chunk) && chunk;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      hash.update(value);
      yield value;
    }
  } finally {
    // Stopped early (a problem was found): cancel the download or file read rather than leave it open.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * Calls `onRun` for each run of whole lines of an entry (see `readLineRuns`), streaming, one line
 * (at most MAX_LINE_BYTES) held at a time. A run that fails stops the parsing but not the reading:
 * the entry is read on (see `integrityFirst`), so a corrupt entry is reported by its CRC-32 or
 * size rather than by the garbage it decodes to.
 */
async function forEachRun(
  name: string,
  chunks: AsyncGenerator<Uint8Array>,
  onRun: (run: LineRun) => void,
): Promise<void> {
  try {
    // A run of lines at a time: a turn of an async generator per line cost more than the line.
    for await (const run of readLineRuns(keptOpen(chunks))) onRun(run);
  } catch (error) {
    await integrityFirst(
      chunks,
      error instanceof LineTooLongError ? new VerifyFailure(`${name}: ${error.message}`) : error,
    );
  }
}

/** Calls `onLine(text, lineNumber)` for each line of a UTF-8 entry, as `forEachRun` reads it. */
async function forEachLine(
  name: string,
  chunks: AsyncGenerator<Uint8Array>,
  onLine: (line: string, lineNumber: number) => void,
): Promise<void> {
  await forEachRun(name, chunks, (run) => {
    for (const line of linesOfRun(run)) {
      if (line.invalidUtf8) throw new VerifyFailure(`${name}: line ${line.number} is not valid UTF-8.`);
      onLine(line.text, line.number);
    }
  });
}

export async function verifySnapshotZip(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: VerifyOptions,
): Promise<VerificationResult> {
  const hash = new Sha256();
  const reader = new ZipReader(tap(source, hash));
  const tables = new Map<string, TableState>();
  const listings = new Set<string>();
  const storage = new Map<string, StorageState>();
  const storageListings = new Set<string>();
  const notes: string[] = [];
  let hasReadme = false;
  let entries = 0;
  let totalRows = 0;
  let storageBytes = 0;
  let uncompressedBytes = 0;
  async function* counted(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      uncompressedBytes += chunk.length;
      yield chunk;
    }
  }

  const table = (component: string, name: string): TableState => {
    const key = `${component}${name}`;
    let state = tables.get(key);
    if (!state) {
      state = { component, table: name, rows: 0, hasDocuments: false, hasSchema: false };
      tables.set(key, state);
    }
    return state;
  };
  const totals = (): Totals => ({
    tables: [...tables.values()].map(({ component, table, rows }) => ({ component, table, rows })),
    totalRows,
    storageFiles: [...storage.values()].filter((file) => file.actual).length,
    storageBytes,
    zipBytes: reader.bytesRead,
    uncompressedBytes,
    entries,
  });

  try {
    for await (const entry of reader.entries()) {
      entries++;
      const name = entry.name;
      const fail = (what: string): never => {
        throw new VerifyFailure(`${name}: ${what}.`);
      };
      const path = classifySnapshotPath(name);
      if (entry.isDirectory) continue;
      const chunks = counted(entry.chunks());
      if (path.kind === "readme") {
        hasReadme = true;
      } else if (path.kind === "tableList") {
        const component = path.component;
        listings.add(component);
        await forEachLine(name, chunks, (line, n) => {
          const row = parseLine(line, n, fail);
          const listedName = row.name;
          const id = row.id;
          if (typeof listedName !== "string" || typeof id !== "bigint") {
            fail(`line ${n} should be {"name": <table>, "id": <table number>}`);
          }
          table(component, listedName as string).listedNumber = Number(id);
        });
      } else if (path.kind === "storageList") {
        const component = path.component;
        storageListings.add(component);
        await forEachLine(name, chunks, (line, n) => {
          const row = parseLine(line, n, fail);
          const id = row._id;
          if (typeof id !== "string" || convexIdTableNumber(id) === null)
            fail(`line ${n} has no valid storage _id`);
          const digest = typeof row.sha256 === "string" ? decodeBase64(row.sha256) : null;
          if (digest === null || digest.length !== 32) fail(`line ${n} has no valid base64 SHA-256`);
          const size = row.size;
          if (typeof size !== "bigint" || size < 0n) fail(`line ${n} has no valid size`);
          const state = storage.get(`${component}${id}`) ?? {};
          state.expected = { sha256: row.sha256 as string, size: Number(size) };
          storage.set(`${component}${id}`, state);
        });
      } else if (path.kind === "documents") {
        const state = table(path.component, path.table);
        state.hasDocuments = true;
        const documentLine = (line: string, n: number) => {
          const row = parseLine(line, n, fail);
          const id = row._id;
          if (typeof id !== "string") fail(`line ${n} has no _id`);
          const tableNumber = convexIdTableNumber(id as string);
          if (tableNumber === null)
            return fail(`line ${n} has _id ${JSON.stringify(id)}, which is not a valid Convex id`);
          if (state.idNumber === undefined) state.idNumber = tableNumber;
          else if (tableNumber !== state.idNumber) {
            fail(
              `line ${n} has _id ${id as string} of table number ${tableNumber}, but earlier ids are of ${state.idNumber}`,
            );
          }
          if (typeof row._creationTime !== "number") {
            fail(
              `line ${n} has a _creationTime that is not a Float64 (written without a decimal point), which import refuses`,
            );
          }
          state.rows++;
          totalRows++;
        };
        await forEachRun(name, chunks, (run) => {
          let text: string;
          try {
            text = strict.decode(run.bytes);
          } catch {
            // Not UTF-8 somewhere: each line on its own says which.
            for (const line of linesOfRun(run)) {
              if (line.invalidUtf8) fail(`line ${line.number} is not valid UTF-8`);
              documentLine(line.text, line.number);
            }
            return;
          }
          // Each line is checked where it is in the run's text; a line that is not plain is sliced
          // out and decoded, which says what is wrong with it.
          for (let start = 0, n = run.first; ; n++) {
            const newline = text.indexOf("\n", start);
            const lineEnd = newline === -1 ? text.length : newline;
            const end = lineEnd > start && text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
            const id = plainDocumentId(text, start, end);
            const tableNumber = id === null ? null : convexIdTableNumber(text, id.from, id.to);
            if (tableNumber !== null && (state.idNumber ?? tableNumber) === tableNumber) {
              state.idNumber = tableNumber;
              state.rows++;
              totalRows++;
            } else documentLine(text.slice(start, end), n);
            if (newline === -1) break;
            start = newline + 1;
          }
        });
      } else if (path.kind === "generatedSchema") {
        const state = table(path.component, path.table);
        state.hasSchema = true;
        await forEachLine(name, chunks, (line, n) => {
          if (n !== 1) return;
          let value: ExportValue;
          try {
            value = decodeExportJson(line);
          } catch {
            return fail("the first line is not JSON");
          }
          if (typeof value !== "string") fail(`the first line should be "uniform" or a legacy shape string`);
        });
      } else if (path.kind === "storageFile") {
        const key = `${path.component}${path.id}`;
        const fileHash = new Sha256();
        let size = 0;
        for await (const chunk of chunks) {
          fileHash.update(chunk);
          size += chunk.length;
        }
        storageBytes += size;
        const state = storage.get(key) ?? {};
        state.actual = { sha256: encodeBase64(fileHash.digest()), size };
        storage.set(key, state);
      } else {
        notes.push(`${name} is not part of a Convex snapshot; import ignores it.`);
      }
      // Entries read only in part (README.md, unknown files) are still read to the end and checked.
      for await (const _ of chunks);
      await options.onProgress?.({
        bytesRead: reader.bytesRead,
        entriesRead: entries,
        rowsRead: totalRows,
        entry: name,
      });
    }

    if (options.expectedSize !== undefined && reader.bytesRead !== options.expectedSize) {
      throw new VerifyFailure(
        `The ZIP has ${reader.bytesRead} bytes but the export reported ${options.expectedSize}.`,
      );
    }
    const sha256 = hex(hash.digest());
    if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256.toLowerCase()) {
      throw new VerifyFailure(
        `The ZIP's SHA-256 is ${sha256} but ${options.expectedSha256} was recorded when it was copied.`,
      );
    }
    if (!hasReadme)
      throw new VerifyFailure("README.md is missing, so this is not a complete Convex snapshot export.");
    if (!listings.has(""))
      throw new VerifyFailure("_tables/documents.jsonl is missing, so the table list is lost.");
    for (const state of tables.values()) {
      const path = `${state.component}${state.table}`;
      if (state.listedNumber === undefined) {
        throw new VerifyFailure(
          `${path}/documents.jsonl is in the ZIP but not listed in ${state.component}_tables/documents.jsonl.`,
        );
      }
      if (!state.hasDocuments) {
        throw new VerifyFailure(
          `Table ${path} is listed in ${state.component}_tables/documents.jsonl but ${path}/documents.jsonl is missing.`,
        );
      }
      if (!state.hasSchema) {
        throw new VerifyFailure(`Table ${path} is listed but ${path}/generated_schema.jsonl is missing.`);
      }
      if (state.idNumber !== undefined && state.idNumber !== state.listedNumber) {
        throw new VerifyFailure(
          `Table ${path} is listed as table number ${state.listedNumber} but its ids belong to table number ${state.idNumber}.`,
        );
      }
    }
    if (options.expectStorage && !storageListings.has("")) {
      throw new VerifyFailure("The backup includes file storage but _storage/documents.jsonl is missing.");
    }
    for (const [key, state] of storage) {
      const path = key.replace(/([^/]*)$/, "_storage/$1");
      if (!state.expected) {
        notes.push(`${path} has no line in _storage/documents.jsonl; import still restores it.`);
        continue;
      }
      if (!state.actual)
        throw new VerifyFailure(
          `Storage file ${path} is listed in _storage/documents.jsonl but missing from the ZIP.`,
        );
      if (state.actual.size !== state.expected.size) {
        throw new VerifyFailure(
          `Storage file ${path} has ${state.actual.size} bytes but its metadata says ${state.expected.size}.`,
        );
      }
      if (state.actual.sha256 !== state.expected.sha256) {
        throw new VerifyFailure(
          `Storage file ${path} has SHA-256 ${state.actual.sha256} but its metadata says ${state.expected.sha256}.`,
        );
      }
    }
    return { ok: true, sha256, notes, ...totals() };
  } catch (error) {
    await reader.close().catch(() => {});
    if (error instanceof VerifyFailure || error instanceof ZipFormatError) {
      return { ok: false, reason: error.message, notes, ...totals() };
    }
    throw error;
  }
}

function parseLine(line: string, n: number, fail: (what: string) => never): Record<string, ExportValue> {
  if (line.length === 0) fail(`line ${n} is empty`);
  let value: ExportValue;
  try {
    value = decodeExportJson(line);
  } catch (error) {
    return fail(
      `line ${n} is not valid export JSON (${error instanceof ExportJsonError ? error.message : String(error)})`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof ArrayBuffer) {
    fail(`line ${n} is not a JSON object`);
  }
  return value as Record<string, ExportValue>;
}
