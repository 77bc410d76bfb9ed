/**
 * The preview of an uploaded file before anything is written: rows counted, each field with the
 * Convex types it will have, the first rows, the first invalid lines with their reason (and how many
 * there are in all), and warnings where Convex's import rules will surprise. It streams the file
 * once, so memory stays flat whatever its size; everything it keeps is bounded.
 */
import type { ValidatorJSON } from "convex/values";
import { Sha256 } from "../../lib/snapshot/sha256";
import { readSnapshot, SnapshotFormatError } from "../../lib/snapshot/snapshotReader";
import { ZipFormatError } from "../../lib/snapshot/zipReader";
import {
  convexTypeOf,
  hasLeadingZero,
  isCsvNumber,
  losesPrecision,
  type ConvexTypeName,
} from "./convexTypes";
import { LineTooLongError } from "../../lib/snapshot/lines";
import {
  FileRejectedError,
  readCsvBatches,
  readJsonArray,
  readJsonLinesBatches,
  type ImportFormat,
  type ParsedRow,
  type ReadNotes,
} from "./records";
import { typeRowBySchema } from "./schemaTyping";
import {
  EmailResolution,
  resolvedSentence,
  userIdFields,
  withUserIds,
  type UserIdsByEmail,
} from "./userEmails";
import { ProblemTally, type ProblemSummary } from "./problemSummary";
import { inSlices, pieceBytesFor, Slices } from "./slices";
import { booleanFields, rowProblem, rowProblems, stringOnlyFields, type FieldProblem } from "./validate";

export const PREVIEW_ROWS = 10;
export const PREVIEW_INVALID_LINES = 50;
export const PREVIEW_FIELDS = 60;
const PREVIEW_ROW_CHARS = 400;

export type FieldSummary = { name: string; types: ConvexTypeName[]; empty: number };
export type InvalidLine = { line: number; reason: string };
export type TableCount = { table: string; rows: number };

export type ImportPreview = {
  rows: number;
  validRows: number;
  fields: FieldSummary[];
  firstRows: string[];
  invalidLines: InvalidLine[];
  invalidCount: number;
  /** Every problem of the file by field, with how many rows have it and its first lines. */
  problems: ProblemSummary[];
  warnings: string[];
  /** For a ZIP: the tables it holds with their row counts. */
  tables: TableCount[];
  /** The whole file cannot be imported, with why. */
  rejected: string | null;
  sha256: string;
  bytes: number;
  /**
   * For a CSV aimed at a table whose schema the console knows: the same file with each cell typed by
   * its field's validator instead of Convex's CSV rule, as the console would send it.
   */
  typedBySchema: SchemaTypedPreview | null;
};

export type SchemaTypedPreview = Omit<ImportPreview, "sha256" | "bytes" | "typedBySchema">;

type FieldStats = {
  types: Set<ConvexTypeName>;
  lastType: ConvexTypeName | null;
  empty: number;
  leadingZero: string | null;
  tooPrecise: string | null;
  digitsInString: string | null;
  booleanText: boolean;
};

function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * What one preview may spend. Past any limit it stops with a sentence, so a hostile file (a ZIP of
 * endless small rows, a file that is slow to parse) ends the action with a reason before Convex's
 * 10-minute action limit ends it without one.
 */
export type PreviewBudget = { bytes: number; rows: number; ms: number };
export const PREVIEW_BUDGET: PreviewBudget = { bytes: 4 * 2 ** 30, rows: 10_000_000, ms: 8 * 60_000 };
class BudgetExceeded extends Error {}

function budgetCheck(budget: PreviewBudget, count: { bytes: number }, rows: () => number) {
  const started = Date.now();
  return () => {
    if (count.bytes > budget.bytes)
      throw new BudgetExceeded(
        `The preview stopped after ${budget.bytes.toLocaleString("en-US")} bytes, the most one preview reads; split the file.`,
      );
    if (rows() > budget.rows)
      throw new BudgetExceeded(
        `The preview stopped after ${budget.rows.toLocaleString("en-US")} rows, the most one preview counts; split the file.`,
      );
    if (Date.now() - started > budget.ms)
      throw new BudgetExceeded(
        `The preview stopped after ${Math.round(budget.ms / 1000)} seconds, the longest one preview may run; split the file.`,
      );
  };
}

async function* hashed(
  chunks: AsyncIterable<Uint8Array>,
  hash: Sha256,
  count: { bytes: number },
  withinBudget: () => void,
  slices: Slices,
  pieceBytes: number,
) {
  for await (const piece of inSlices(chunks, slices, pieceBytes)) {
    hash.update(piece);
    count.bytes += piece.length;
    withinBudget();
    yield piece;
  }
}

function clip(text: string): string {
  return text.length > PREVIEW_ROW_CHARS ? `${text.slice(0, PREVIEW_ROW_CHARS)}…` : text;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint"
      ? `${item}n`
      : typeof item === "number" && !Number.isFinite(item)
        ? String(item)
        : item,
  );
}

/**
 * Streams `chunks` (the file, in order) and returns its preview. `tableValidator` is the target
 * table's schema validator when the console knows the table; rows are then checked against it.
 * `userIds` resolves the emails written in the `v.id("users")` fields of a table the console knows.
 */
export async function previewImport(
  chunks: AsyncIterable<Uint8Array>,
  options: {
    format: ImportFormat;
    tableValidator: ValidatorJSON | null;
    knownTables?: Record<string, ValidatorJSON>;
    budget?: PreviewBudget;
    userIds?: UserIdsByEmail;
  },
): Promise<ImportPreview> {
  const hash = new Sha256();
  const count = { bytes: 0 };
  const preview: ImportPreview = { ...emptyPreview(), sha256: "", bytes: 0, typedBySchema: null };
  const withinBudget = budgetCheck(options.budget ?? PREVIEW_BUDGET, count, () => preview.rows);
  const slices = new Slices(withinBudget);
  const source = hashed(chunks, hash, count, withinBudget, slices, pieceBytesFor(options.format));
  const stats = new Map<string, FieldStats>();
  const invalid = invalidLinesOf(preview);
  const notes: ReadNotes = { bomStripped: false, header: null };
  const stringFields = stringOnlyFields(options.tableValidator);
  const schema =
    options.format === "csv" && options.tableValidator?.type === "object" ? options.tableValidator : null;
  const typed = schema === null ? null : emptyPreview();
  const typedStats = new Map<string, FieldStats>();
  const typedInvalid = typed === null ? null : invalidLinesOf(typed);
  const userIds = options.userIds ?? new Map<string, string>();
  // One for the rows as sent untyped, one for the schema-typed CSV: each says what it resolved.
  const emails = new EmailResolution(userIds);
  const typedEmails = new EmailResolution(userIds);
  const userFields = options.tableValidator === null ? [] : userIdFields(options.tableValidator);
  try {
    if (options.format === "zip") {
      await previewZip(source, preview, options.knownTables ?? {}, invalid, slices, emails);
    } else {
      const batches =
        options.format === "csv"
          ? readCsvBatches(source, notes)
          : options.format === "jsonLines"
            ? readJsonLinesBatches(source, notes)
            : inBatches(readJsonArray(source, notes));
      for await (const rows of batches) {
        // Once a batch (at most 64 KiB of the file, or one JSON array element): the clock read per
        // row was 2 % of the profile.
        if (slices.due()) await slices.turn();
        for (const row of rows) {
          preview.rows++;
          accept(
            withUserIds(row, userFields, emails),
            preview,
            stats,
            options.tableValidator,
            invalid,
            stringFields,
          );
          if (typed !== null && schema !== null && typedInvalid !== null) {
            typed.rows++;
            accept(typeRowBySchema(schema, row, typedEmails), typed, typedStats, schema, typedInvalid, null);
          }
        }
      }
    }
  } catch (error) {
    if (
      error instanceof FileRejectedError ||
      error instanceof BudgetExceeded ||
      error instanceof LineTooLongError ||
      error instanceof SnapshotFormatError ||
      error instanceof ZipFormatError
    ) {
      preview.rejected = error.message;
      if (typed !== null) typed.rejected = error.message;
      // Hash the rest, so the digest still names the whole file (not past a spent budget).
      if (!(error instanceof BudgetExceeded)) for await (const _chunk of source) void _chunk;
    } else throw error;
  }
  preview.fields = fieldSummaries(stats);
  const resolved = resolvedSentence(emails.cells, emails.users.size);
  preview.warnings = [
    ...(resolved === null ? [] : [resolved]),
    ...warningsFor(options.format, notes, stats, options.tableValidator),
  ];
  if (typed !== null) {
    typed.fields = fieldSummaries(typedStats);
    const typedResolved = resolvedSentence(typedEmails.cells, typedEmails.users.size);
    typed.warnings = [
      ...(typedResolved === null ? [] : [typedResolved]),
      ...warningsFor(options.format, notes, typedStats, null),
    ];
    preview.typedBySchema = typed;
  }
  preview.sha256 = hex(hash.digest());
  preview.bytes = count.bytes;
  return preview;
}

function emptyPreview(): SchemaTypedPreview {
  return {
    rows: 0,
    validRows: 0,
    fields: [],
    firstRows: [],
    invalidLines: [],
    invalidCount: 0,
    problems: [],
    warnings: [],
    tables: [],
    rejected: null,
  };
}

function invalidLinesOf(preview: SchemaTypedPreview) {
  const tally = new ProblemTally();
  return (line: number, reason: string, problems: readonly FieldProblem[] = []) => {
    preview.invalidCount++;
    if (problems.length > 0) {
      tally.add(line, problems);
      preview.problems = tally.summaries();
    }
    if (preview.invalidLines.length < PREVIEW_INVALID_LINES) preview.invalidLines.push({ line, reason });
  };
}

function fieldSummaries(stats: Map<string, FieldStats>): FieldSummary[] {
  return [...stats.entries()].slice(0, PREVIEW_FIELDS).map(([name, field]) => ({
    name,
    types: [...field.types].sort(),
    empty: field.empty,
  }));
}

/**
 * Counts one row into `preview`. `stringFields` is null when the row was typed by the schema: the
 * warnings about Convex's CSV rule (leading zeros, digits in strings, true/false text) do not apply.
 */
function accept(
  row: ParsedRow,
  preview: SchemaTypedPreview,
  stats: Map<string, FieldStats>,
  tableValidator: ValidatorJSON | null,
  invalid: (line: number, reason: string, problems?: readonly FieldProblem[]) => void,
  stringFields: Set<string> | null,
) {
  if ("error" in row) return invalid(row.line, row.error, row.problems);
  // A CSV row's columns are its cells: typed by the schema, it omits an optional field's empty
  // cell from its value, and that cell is still counted as empty.
  for (const name in row.cells ?? row.value) countField(name, row, stats, stringFields);
  const problems = tableValidator === null ? [] : rowProblems(tableValidator, row.value);
  if (problems.length > 0)
    return invalid(row.line, problems.map((problem) => problem.sentence).join(" "), problems);
  preview.validRows++;
  if (preview.firstRows.length < PREVIEW_ROWS) preview.firstRows.push(clip(jsonText(row.value)));
}

function countField(
  name: string,
  row: Extract<ParsedRow, { value: unknown }>,
  stats: Map<string, FieldStats>,
  stringFields: Set<string> | null,
) {
  const value = row.value[name];
  const present = value !== undefined || Object.hasOwn(row.value, name);
  let field = stats.get(name);
  if (field === undefined) {
    field = {
      types: new Set(),
      lastType: null,
      empty: 0,
      leadingZero: null,
      tooPrecise: null,
      digitsInString: null,
      booleanText: false,
    };
    stats.set(name, field);
  }
  if (present) {
    // Most cells of a column have the type of the one before: a comparison instead of a set insert.
    const type = convexTypeOf(value);
    if (type !== field.lastType) {
      field.types.add(type);
      field.lastType = type;
    }
  }
  const cell = row.cells?.[name];
  if (cell !== undefined && stringFields === null) {
    if (cell === "") field.empty++;
    if (field.tooPrecise === null && typeof value === "number" && losesPrecision(cell))
      field.tooPrecise = cell;
  } else if (cell !== undefined && stringFields !== null) {
    if (cell === "") field.empty++;
    if (field.leadingZero === null && hasLeadingZero(cell)) field.leadingZero = cell;
    if (field.tooPrecise === null && losesPrecision(cell)) field.tooPrecise = cell;
    if (field.digitsInString === null && stringFields.has(name) && isCsvNumber(cell))
      field.digitsInString = cell;
    if (cell === "true" || cell === "false") field.booleanText = true;
  } else if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)) {
    field.tooPrecise ??= String(value);
  }
}

/** A JSON array's elements as one-row batches (the array is read whole first, at most 16 MiB). */
async function* inBatches(rows: AsyncIterable<ParsedRow>): AsyncGenerator<ParsedRow[]> {
  for await (const row of rows) yield [row];
}

function warningsFor(
  format: ImportFormat,
  notes: ReadNotes,
  stats: Map<string, FieldStats>,
  tableValidator: ValidatorJSON | null,
): string[] {
  const warnings: string[] = [];
  if (notes.bomStripped) {
    warnings.push(
      "The file starts with a byte-order mark (BOM); it is stripped before sending, as the Convex CLI does (Convex itself refuses a BOM in JSON).",
    );
  }
  for (const [name, field] of stats) {
    if (field.leadingZero !== null) {
      warnings.push(
        `Column \`${name}\` has leading zeros (e.g. "${field.leadingZero}") and will lose them: Convex reads the cell as the number ${Number(field.leadingZero)}.`,
      );
    }
    if (field.tooPrecise !== null) {
      warnings.push(
        `Column \`${name}\` holds ${field.tooPrecise}, more digits than a float keeps: Convex stores it rounded.`,
      );
    }
    if (field.digitsInString !== null) {
      warnings.push(
        `Column \`${name}\` is v.string() in the schema, but cells like "${field.digitsInString}" become numbers in a CSV import, and those rows will fail.`,
      );
    }
    if (field.booleanText && format === "csv") {
      warnings.push(
        `Column \`${name}\` holds true/false, which a CSV import keeps as the strings "true" and "false" (Convex infers no booleans from CSV).`,
      );
    }
  }
  if (format === "csv") {
    for (const name of booleanFields(tableValidator)) {
      warnings.push(
        `The table requires \`${name}\` to be a boolean, which no CSV cell can become: import this table from JSON Lines or a JSON array instead.`,
      );
    }
  }
  if (format === "jsonLines" || format === "jsonArray") {
    const int64Fields =
      tableValidator?.type === "object"
        ? new Set(
            Object.entries(tableValidator.value)
              .filter(([, field]) => field.fieldType.type === "bigint")
              .map(([name]) => name),
          )
        : null;
    const numeric = [...stats.entries()]
      .filter(
        ([name, field]) => field.types.has("float64") && (int64Fields === null || int64Fields.has(name)),
      )
      .map(([name]) => name);
    if (numeric.length > 0) {
      warnings.push(
        `JSON numbers become floats in Convex (${numeric
          .slice(0, 5)
          .map((n) => `\`${n}\``)
          .join(", ")}); a v.int64() field refuses them.`,
      );
    }
  }
  return warnings.slice(0, 20);
}

async function previewZip(
  source: AsyncIterable<Uint8Array>,
  preview: ImportPreview,
  knownTables: Record<string, ValidatorJSON>,
  invalid: (line: number, reason: string) => void,
  slices: Slices,
  emails: EmailResolution,
) {
  const counts = new Map<string, number>();
  for await (const item of readSnapshot(source)) {
    if (item.kind === "storageFile") {
      for await (const _chunk of item.chunks) void _chunk;
      continue;
    }
    if (item.kind !== "documents") continue;
    const table = item.component === "" ? item.table : `${item.component}/${item.table}`;
    const validator = item.component === "" ? (knownTables[item.table] ?? null) : null;
    const userFields = validator === null ? [] : userIdFields(validator);
    for (const document of item.documents) {
      if (slices.due()) await slices.turn();
      const line = (counts.get(table) ?? 0) + 1;
      counts.set(table, line);
      preview.rows++;
      const row = withUserIds({ line, value: document as Record<string, unknown> }, userFields, emails);
      const problem =
        "error" in row ? row.error : validator === null ? null : rowProblem(validator, row.value);
      if (problem !== null || "error" in row) invalid(line, `${table}/documents.jsonl: ${problem}`);
      else {
        preview.validRows++;
        if (preview.firstRows.length < PREVIEW_ROWS)
          preview.firstRows.push(clip(`${table}: ${jsonText(row.value)}`));
      }
    }
  }
  preview.tables = [...counts.entries()].map(([table, rows]) => ({ table, rows })).slice(0, PREVIEW_FIELDS);
}
