/**
 * Streaming readers for the formats Convex imports (CSV, JSON Lines, JSON array): each yields every
 * row with the line it starts on, either its value as Convex will type it or the reason it is
 * invalid. They read chunk streams and hold at most the rows of 64 KiB of input, or one row
 * longer than that (a JSON array at most its 16 MiB).
 */
import { csvCellValue, fieldNameProblem } from "./convexTypes";
import { readCsvRecordBatches, type CsvRecord } from "./csv";
import { readLineBatches, type Line } from "../../lib/snapshot/lines";
import type { FieldProblem } from "./validate";

export type ImportFormat = "csv" | "jsonLines" | "jsonArray" | "zip";

export type ParsedRow =
  | {
      line: number;
      value: Record<string, unknown>;
      /** A CSV row's cells as written (every field of `value` has its cell here). */
      cells?: Record<string, string>;
      /** A JSON row's text as written, to send it unchanged. */
      text?: string;
    }
  | { line: number; error: string; problems?: FieldProblem[] };

/** What the reader noticed about the file as a whole. */
export type ReadNotes = { bomStripped: boolean; header: string[] | null };

/** The whole file is unusable (no header, a bad header, too big): nothing can be imported. */
export class FileRejectedError extends Error {
  override name = "FileRejectedError";
}

/** Convex reads a JSON array whole; its limit is 16 MiB (TRANSACTION_MAX_USER_WRITE_SIZE_BYTES). */
export const JSON_ARRAY_MAX_BYTES = 16 * 1024 * 1024;

export function formatOfFileName(name: string): ImportFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonLines";
  if (lower.endsWith(".json")) return "jsonArray";
  if (lower.endsWith(".zip")) return "zip";
  return null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * CSV as Convex reads it (the records from `readCsvRecords`): a header row (cells trimmed of
 * spaces, valid field names, each once), then one document per record.
 */
export async function* readCsv(
  chunks: AsyncIterable<Uint8Array>,
  notes: ReadNotes,
): AsyncGenerator<ParsedRow> {
  for await (const rows of readCsvBatches(chunks, notes)) yield* rows;
}

/** `readCsv`'s rows, a chunk's worth at a time (what the preview reads, for speed). */
export async function* readCsvBatches(
  chunks: AsyncIterable<Uint8Array>,
  notes: ReadNotes,
): AsyncGenerator<ParsedRow[]> {
  let header: string[] | null = null;
  let shape: Record<string, null> | null = null;
  for await (const records of readCsvRecordBatches(chunks, () => (notes.bomStripped = true))) {
    const rows: ParsedRow[] = [];
    for (const record of records) {
      if (header === null) {
        header = headerOf(record.line, record.fields);
        notes.header = header;
        if (header.length <= SHAPED_COLUMNS) shape = Object.fromEntries(header.map((name) => [name, null]));
      } else rows.push(csvRow(header, shape, record));
    }
    if (rows.length > 0) yield rows;
  }
  if (header === null) throw new FileRejectedError("The file is empty: a CSV import needs a header row.");
}

function headerOf(line: number, cells: string[]): string[] {
  const names = cells.map((cell) => cell.replace(/^ +| +$/g, ""));
  const problem = names.map(fieldNameProblem).find((p) => p !== null);
  if (problem) throw new FileRejectedError(`The header row (line ${line}) has ${problem}.`);
  // A set, so a header of 100k columns is checked in linear time.
  const seen = new Set<string>();
  const duplicate = names.find((name) => seen.size === seen.add(name).size);
  if (duplicate) throw new FileRejectedError(`The header row names the column \`${duplicate}\` twice.`);
  return names;
}

/**
 * Headers up to this many columns get a `shape` in `csvRow`. Past it V8 keeps an object's fields
 * in a dictionary, whose copy costs more than building the object field by field.
 */
const SHAPED_COLUMNS = 100;

/**
 * One document of a CSV record. `shape` is an object with the header's fields in order: each row's
 * objects start as copies of it, so they share one layout instead of being built up a field at a
 * time (which was most of this function's time in the profile).
 */
function csvRow(header: string[], shape: Record<string, null> | null, record: CsvRecord): ParsedRow {
  const { line, fields: cells } = record;
  if (record.unclosedQuote)
    return { line, error: "A quoted field is never closed before the end of the file." };
  if (record.invalidUtf8 !== null) return { line, error: `Line ${record.invalidUtf8} is not valid UTF-8.` };
  if (cells.length !== header.length) {
    return {
      line,
      error:
        cells.length < header.length
          ? `Wrong column count: ${cells.length} of the header's ${header.length} columns (Convex: "doesn't have all of the fields in the header").`
          : `Wrong column count: ${cells.length} columns, the header has ${header.length}.`,
    };
  }
  const value: Record<string, unknown> = shape === null ? {} : { ...shape };
  const raw: Record<string, string> =
    shape === null ? {} : ({ ...shape } as unknown as Record<string, string>);
  for (let index = 0; index < header.length; index++) {
    const name = header[index]!;
    value[name] = csvCellValue(cells[index]!);
    raw[name] = cells[index]!;
  }
  return { line, value, cells: raw };
}

function jsonRow(line: number, text: string, what: string): ParsedRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, error: `Malformed JSON: ${(error as Error).message}.` };
  }
  if (!isObject(value)) return { line, error: `${what} is not a JSON object.` };
  return { line, value, text };
}

/** JSON Lines: one object per line; blank lines are skipped; numbers become floats. */
export async function* readJsonLines(
  chunks: AsyncIterable<Uint8Array>,
  notes: ReadNotes,
): AsyncGenerator<ParsedRow> {
  for await (const rows of readJsonLinesBatches(chunks, notes)) yield* rows;
}

/** `readJsonLines`' rows, a batch of lines at a time (what the preview reads, for speed). */
export async function* readJsonLinesBatches(
  chunks: AsyncIterable<Uint8Array>,
  notes: ReadNotes,
): AsyncGenerator<ParsedRow[]> {
  for await (const lines of readLineBatches(chunks, () => (notes.bomStripped = true))) {
    const rows: ParsedRow[] = [];
    for (const line of lines) if (line.text.trim() !== "") rows.push(lineRow(line));
    if (rows.length > 0) yield rows;
  }
}

function lineRow(line: Line): ParsedRow {
  if (line.invalidUtf8) return { line: line.number, error: "The line is not valid UTF-8." };
  return jsonRow(line.number, line.text, "The line");
}

/**
 * A JSON array of objects. Convex reads it whole, so a file over 16 MiB is refused outright; below
 * that each element is parsed on its own so one broken element is reported by its line.
 */
export async function* readJsonArray(
  chunks: AsyncIterable<Uint8Array>,
  notes: ReadNotes,
): AsyncGenerator<ParsedRow> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > JSON_ARRAY_MAX_BYTES) {
      throw new FileRejectedError(
        "A JSON array is limited to 16 MiB by Convex (it is read whole); convert it to JSON Lines.",
      );
    }
    parts.push(chunk.slice());
  }
  let bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
    notes.bomStripped = true;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new FileRejectedError("The file is not valid UTF-8.");
  }
  yield* splitJsonArray(text);
}

function* splitJsonArray(text: string): Generator<ParsedRow> {
  let index = 0;
  let line = 1;
  const skipSpace = () => {
    while (index < text.length && /\s/.test(text[index]!)) {
      if (text[index] === "\n") line++;
      index++;
    }
  };
  skipSpace();
  if (text[index] !== "[") throw new FileRejectedError("A JSON array file must start with [.");
  index++;
  for (;;) {
    skipSpace();
    if (text[index] === "]") break;
    if (index >= text.length) throw new FileRejectedError("The JSON array is never closed with ].");
    const startLine = line;
    const start = index;
    let depth = 0;
    let inString = false;
    for (; index < text.length; index++) {
      const char = text[index]!;
      if (char === "\n") line++;
      if (inString) {
        if (char === "\\") index++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === "{" || char === "[") depth++;
      else if (char === "}" || char === "]") {
        if (depth === 0) break;
        depth--;
      } else if (char === "," && depth === 0) break;
    }
    yield jsonRow(startLine, text.slice(start, index).trim(), "The element");
    if (text[index] === ",") index++;
  }
}
