/**
 * Types a CSV row by the target table's schema instead of Convex's CSV rule (every cell a float if
 * it parses as one, else a string). Each cell is read as its field's validator asks, so "0001" in a
 * v.string() field stays "0001" and "TRUE" in a v.boolean() field becomes true. Booleans are strict:
 * only "true" and "false" in any letter case; 1/0/yes/no are refused, because a spreadsheet column
 * of 1s and 0s is as likely a count as a flag and guessing would write wrong data silently.
 * Fields the schema does not name, and v.any() fields, keep Convex's own CSV rule.
 */
import { convexToJson, type Value, type ValidatorJSON } from "convex/values";
import { csvCellValue, isCsvNumber } from "./convexTypes";
import { readCsv, type ParsedRow } from "./records";
import {
  EmailResolution,
  jsonRowLine,
  RowNotSendableError,
  userIdFields,
  withUserIds,
  type UserIdsByEmail,
} from "./userEmails";
import { describe, type FieldProblem } from "./validate";

/** A typed cell: its value, `omit` for an empty cell of an optional field, or why it cannot be typed. */
export type TypedCell = { value: unknown } | { omit: true } | { problem: string };

const INT64 = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function literalText(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function typeAs(
  validator: ValidatorJSON,
  cell: string,
  emails: EmailResolution | null,
): { value: unknown } | { problem: string } {
  switch (validator.type) {
    case "string":
      return { value: cell };
    case "id":
      return (validator.tableName === "users" ? emails?.resolve(cell) : null) ?? { value: cell };
    case "any":
      return { value: csvCellValue(cell) };
    case "number":
      return isCsvNumber(cell)
        ? { value: csvCellValue(cell) }
        : { problem: `${JSON.stringify(cell)} is not a number.` };
    case "boolean": {
      const lower = cell.toLowerCase();
      if (lower === "true") return { value: true };
      if (lower === "false") return { value: false };
      return { problem: `${JSON.stringify(cell)} is not a boolean (write true or false).` };
    }
    case "bigint": {
      if (!INT64.test(cell)) return { problem: `${JSON.stringify(cell)} is not a whole number (int64).` };
      const value = BigInt(cell);
      if (value < INT64_MIN || value > INT64_MAX)
        return { problem: `${JSON.stringify(cell)} is outside the int64 range.` };
      return { value };
    }
    case "null":
      return cell === "" ? { value: null } : { problem: `${JSON.stringify(cell)} is not empty (null).` };
    case "literal": {
      const wanted = validator.value;
      if (typeof wanted === "string") return cell === wanted ? { value: wanted } : mismatch(validator, cell);
      if (typeof wanted === "number")
        return isCsvNumber(cell) && Number(cell) === wanted ? { value: wanted } : mismatch(validator, cell);
      if (typeof wanted === "boolean")
        return cell.toLowerCase() === String(wanted) ? { value: wanted } : mismatch(validator, cell);
      return mismatch(validator, cell);
    }
    case "union": {
      // An empty cell means null when the union allows it, before any string option takes "".
      if (cell === "" && validator.value.some((option) => option.type === "null")) return { value: null };
      for (const option of validator.value) {
        const typed = typeAs(option, cell, emails);
        if ("value" in typed) return typed;
      }
      return mismatch(validator, cell);
    }
    case "object":
    case "array":
    case "record": {
      try {
        return { value: JSON.parse(cell) as unknown };
      } catch {
        return {
          problem: `${JSON.stringify(cell)} is not JSON, which ${validator.type === "record" ? "a record" : `an ${validator.type}`} field needs.`,
        };
      }
    }
    case "bytes":
      return { problem: "bytes cannot come from a CSV cell." };
    default:
      return { value: csvCellValue(cell) };
  }
}

function mismatch(validator: ValidatorJSON, cell: string) {
  const options = validator.type === "union" ? validator.value : [validator];
  const listed = options.map((option) =>
    option.type === "literal" ? JSON.stringify(literalText(option.value)) : option.type,
  );
  return { problem: `${JSON.stringify(cell)} is none of ${listed.join(", ")}.` };
}

/**
 * One cell typed by its field's validator (`null` when the schema does not name the field); an
 * email in a `v.id("users")` field becomes its user's id through `emails`.
 */
export function typeCell(
  field: { fieldType: ValidatorJSON; optional: boolean } | null,
  cell: string,
  emails: EmailResolution | null = null,
): TypedCell {
  if (field === null) return { value: csvCellValue(cell) };
  if (field.optional && cell === "") return { omit: true };
  return typeAs(field.fieldType, cell, emails);
}

/**
 * A CSV row typed by the table's schema: the same line, its document, or the first cell that cannot
 * be typed with its column and reason. Rows already invalid (ragged, broken quotes) pass through.
 */
export function typeRowBySchema(
  tableValidator: ValidatorJSON,
  row: ParsedRow,
  emails: EmailResolution | null = null,
): ParsedRow {
  if ("error" in row || row.cells === undefined || tableValidator.type !== "object") return row;
  const fields = tableValidator.value;
  const value: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [name, cell] of Object.entries(row.cells)) {
    const field = Object.hasOwn(fields, name) ? fields[name]! : null;
    const typed = typeCell(field, cell, emails);
    if ("problem" in typed)
      problems.push({
        field: name,
        kind: "type",
        wants: field === null ? "" : describe(field.fieldType),
        sentence: `Column \`${name}\`: ${typed.problem}`,
      });
    else if ("value" in typed) value[name] = typed.value;
  }
  // Every cell that cannot be typed is named, so one upload shows what the whole row needs.
  if (problems.length > 0)
    return { line: row.line, error: problems.map((problem) => problem.sentence).join(" "), problems };
  return { line: row.line, value, cells: row.cells };
}

/**
 * One document as a JSON line Convex's JSON Lines import reads back with the same types: int64 as
 * {"$integer": …}, non-finite floats as {"$float": …}, everything else as plain JSON.
 */
export function jsonLineOf(document: Record<string, unknown>): string {
  return JSON.stringify(convexToJson(document as Value));
}

/** A row that cannot be sent: the preview refuses such files, so this means the file changed. */
export class RowNotTypedError extends Error {
  override name = "RowNotTypedError";
}

/**
 * Streams a CSV as JSON Lines, each row typed by the table's schema, one encoded line at a time
 * (a leading BOM is dropped by the CSV reader), emails in user-id cells sent as the ids `userIds`
 * gives. Stops at the first row that cannot be typed.
 */
export async function* csvAsJsonLines(
  chunks: AsyncIterable<Uint8Array>,
  tableValidator: ValidatorJSON,
  userIds: UserIdsByEmail = new Map(),
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const emails = new EmailResolution(userIds);
  for await (const parsed of readCsv(chunks, { bomStripped: false, header: null })) {
    const row = typeRowBySchema(tableValidator, parsed, emails);
    if ("error" in row) throw new RowNotTypedError(`Line ${row.line}: ${row.error}`);
    yield encoder.encode(`${jsonLineOf(row.value)}\n`);
  }
}

/**
 * Streams rows (from any reader of `records.ts`) as JSON Lines with the emails in the table's
 * user-id fields sent as the ids `userIds` gives: a JSON row keeps its text but for the emails
 * replaced in it; a CSV row goes out as the values Convex's CSV rule gives its cells, so the
 * deployment reads the same documents it would have read from the CSV. Stops at a row that
 * cannot be sent.
 */
export async function* rowsAsJsonLines(
  rows: AsyncIterable<ParsedRow>,
  tableValidator: ValidatorJSON,
  userIds: UserIdsByEmail,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const fields = userIdFields(tableValidator);
  const emails = new EmailResolution(userIds);
  for await (const parsed of rows) {
    const row = withUserIds(parsed, fields, emails);
    if ("error" in row) throw new RowNotSendableError(`Line ${row.line}: ${row.error}`);
    const line =
      row.cells !== undefined || "error" in parsed || parsed.text === undefined
        ? jsonLineOf(row.value)
        : jsonRowLine(parsed.text, parsed.value, row.value, fields, `Line ${row.line}`);
    yield encoder.encode(`${line}\n`);
  }
}
