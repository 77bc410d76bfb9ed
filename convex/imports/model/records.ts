/**
 * Streaming readers for the formats Convex imports (CSV, JSON Lines, JSON array): each yields every
 * row with the line it starts on, either its value as Convex will type it or the reason it is
 * invalid. They read chunk streams and hold at most one row (a JSON array at most its 16 MiB).
 */
import { csvCellValue, fieldNameProblem } from "./convexTypes";
import { readLines, type Line } from "./lines";
import type { FieldProblem } from "./validate";

export type ImportFormat = "csv" | "jsonLines" | "jsonArray" | "zip";

export type ParsedRow =
  | { line: number; value: Record<string, unknown>; cells?: Record<string, string> }
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

/** Splits one physical line of CSV, continuing a quoted field that an earlier line opened. */
function scanCsv(
  text: string,
  state: { fields: string[]; field: string; inQuotes: boolean; badQuote: boolean },
) {
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (state.inQuotes) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          state.field += '"';
          index += 2;
          continue;
        }
        state.inQuotes = false;
      } else state.field += char;
    } else if (char === '"') {
      if (state.field === "") state.inQuotes = true;
      else state.badQuote = true;
    } else if (char === ",") {
      state.fields.push(state.field);
      state.field = "";
    } else state.field += char;
    index++;
  }
}

/**
 * CSV as Convex reads it: a header row (cells trimmed, valid field names), then one document per
 * record; quoted fields may hold commas, quotes and newlines; CRLF and a leading BOM are accepted.
 */
export async function* readCsv(
  chunks: AsyncIterable<Uint8Array>,
  notes: ReadNotes,
): AsyncGenerator<ParsedRow> {
  let header: string[] | null = null;
  let state = { fields: [] as string[], field: "", inQuotes: false, badQuote: false };
  let startLine = 0;
  let brokenUtf8: number | null = null;
  const finish = (): ParsedRow | null => {
    const cells = [...state.fields, state.field];
    const line = startLine;
    const badQuote = state.badQuote;
    state = { fields: [], field: "", inQuotes: false, badQuote: false };
    const utf8 = brokenUtf8;
    brokenUtf8 = null;
    if (header === null) {
      const names = cells.map((cell) => cell.trim());
      const problem = names.map(fieldNameProblem).find((p) => p !== null);
      if (problem) throw new FileRejectedError(`The header row (line ${line}) has ${problem}.`);
      const duplicate = names.find((name, index) => names.indexOf(name) !== index);
      if (duplicate) throw new FileRejectedError(`The header row names the column \`${duplicate}\` twice.`);
      header = names;
      notes.header = names;
      return null;
    }
    if (utf8 !== null) return { line, error: `Line ${utf8} is not valid UTF-8.` };
    if (badQuote) return { line, error: "A quote appears inside an unquoted field." };
    if (cells.length !== header.length) {
      return {
        line,
        error:
          cells.length < header.length
            ? `Wrong column count: ${cells.length} of the header's ${header.length} columns (Convex: "doesn't have all of the fields in the header").`
            : `Wrong column count: ${cells.length} columns, the header has ${header.length}.`,
      };
    }
    const value: Record<string, unknown> = {};
    const raw: Record<string, string> = {};
    header.forEach((name, index) => {
      value[name] = csvCellValue(cells[index]!);
      raw[name] = cells[index]!;
    });
    return { line, value, cells: raw };
  };
  for await (const line of readLines(chunks, () => (notes.bomStripped = true))) {
    const continuing = state.inQuotes;
    if (!continuing) {
      if (line.text === "" && !line.invalidUtf8) continue;
      startLine = line.number;
    } else state.field += "\n";
    if (line.invalidUtf8) brokenUtf8 ??= line.number;
    scanCsv(line.text, state);
    if (!state.inQuotes) {
      const row = finish();
      if (row) yield row;
    }
  }
  if (state.inQuotes) {
    yield { line: startLine, error: "A quoted field is never closed before the end of the file." };
  }
  if (header === null) throw new FileRejectedError("The file is empty: a CSV import needs a header row.");
}

function jsonRow(line: number, text: string, what: string): ParsedRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, error: `Malformed JSON: ${(error as Error).message}.` };
  }
  if (!isObject(value)) return { line, error: `${what} is not a JSON object.` };
  return { line, value };
}

/** JSON Lines: one object per line; blank lines are skipped; numbers become floats. */
export async function* readJsonLines(
  chunks: AsyncIterable<Uint8Array>,
  notes: ReadNotes,
): AsyncGenerator<ParsedRow> {
  for await (const line of readLines(chunks, () => (notes.bomStripped = true))) {
    if (line.text.trim() === "") continue;
    yield lineRow(line);
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
