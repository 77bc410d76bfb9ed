/**
 * A `v.id("users")` field of a table the console knows may hold the user's email instead of the id,
 * in every format (CSV cells, JSON Lines, a JSON array, a snapshot ZIP's documents): the console
 * resolves it to the id before the row is checked and sent. A Convex id is base32 text and never
 * holds "@", so a string with one is an email. The emails of a file are collected in one pass and
 * looked up in one bounded batch.
 */
import type { ValidatorJSON } from "convex/values";
import { Slices } from "./slices";
import { readSnapshot } from "../../lib/snapshot/snapshotReader";
import { readLines } from "../../lib/snapshot/lines";
import { EMAIL_LOOKUP_MAX, normalizeEmail } from "../../users/read";
import type { ParsedRow } from "./records";
import type { FieldProblem } from "./validate";

/** Distinct emails one file may name: what one lookup of the users domain resolves. */
export const USER_EMAILS_PER_FILE = EMAIL_LOOKUP_MAX;

/** Each email the console knows, normalized, with its user's id. */
export type UserIdsByEmail = ReadonlyMap<string, string>;

export function isUserIdField(fieldType: ValidatorJSON): boolean {
  return fieldType.type === "id" && fieldType.tableName === "users";
}

/** The normalized email a cell holds, or null when the cell is not one (an id, empty). */
export function emailIn(cell: string): string | null {
  return cell.includes("@") ? normalizeEmail(cell) : null;
}

/** The names of the table's `v.id("users")` fields. */
export function userIdFields(tableValidator: ValidatorJSON): string[] {
  if (tableValidator.type !== "object") return [];
  return Object.entries(tableValidator.value)
    .filter(([, field]) => isUserIdField(field.fieldType))
    .map(([name]) => name);
}

export class TooManyEmailsError extends Error {
  override name = "TooManyEmailsError";
}

/**
 * Distinct emails found in user-id fields, refused past `USER_EMAILS_PER_FILE` with a sentence the
 * preview shows, rather than holding or looking up an unbounded set.
 */
class EmailSet {
  readonly emails = new Set<string>();

  addFrom(value: Record<string, unknown>, fields: readonly string[]) {
    for (const field of fields) {
      const cell = value[field];
      const email = typeof cell === "string" ? emailIn(cell) : null;
      if (email === null) continue;
      this.emails.add(email);
      if (this.emails.size > USER_EMAILS_PER_FILE)
        throw new TooManyEmailsError(
          `The file names more than ${USER_EMAILS_PER_FILE.toLocaleString("en-US")} distinct emails in its user columns, the most one import resolves; split the file or write the users' ids.`,
        );
    }
  }
}

/**
 * The distinct emails in the user-id fields of the rows (as any reader of `records.ts` gives them),
 * looking at most `maxRows` rows: the preview refuses a file past its row budget anyway.
 */
export async function userEmailsIn(
  rows: AsyncIterable<ParsedRow>,
  tableValidator: ValidatorJSON,
  maxRows = Infinity,
): Promise<Set<string>> {
  const fields = userIdFields(tableValidator);
  const found = new EmailSet();
  if (fields.length === 0) return found.emails;
  let count = 0;
  for await (const row of rows) {
    if (++count > maxRows) break;
    if (!("error" in row)) found.addFrom(row.value, fields);
  }
  return found.emails;
}

/** The same for the documents of a snapshot ZIP's tables that `knownTables` names. */
export async function userEmailsInSnapshot(
  chunks: AsyncIterable<Uint8Array>,
  knownTables: Record<string, ValidatorJSON>,
  maxRows = Infinity,
): Promise<Set<string>> {
  const found = new EmailSet();
  // A ZIP's small pieces can still inflate to a hundred thousand documents each: give the event
  // loop a turn between batches, as the preview does between rows.
  const slices = new Slices();
  let count = 0;
  for await (const item of readSnapshot(chunks)) {
    if (slices.due()) await slices.turn();
    if (item.kind === "storageFile") {
      for await (const _chunk of item.chunks) void _chunk;
      continue;
    }
    if (item.kind !== "documents") continue;
    count += item.documents.length;
    if (count > maxRows) break;
    const validator = item.component === "" ? knownTables[item.table] : undefined;
    const fields = validator === undefined ? [] : userIdFields(validator);
    if (fields.length === 0) continue;
    for (const document of item.documents) found.addFrom(document as Record<string, unknown>, fields);
  }
  return found.emails;
}

/**
 * The emails a file's user-id fields are resolved by, and how many were resolved to how many
 * users, for the preview to say.
 */
export class EmailResolution {
  cells = 0;
  readonly users = new Set<string>();
  constructor(readonly ids: UserIdsByEmail) {}

  resolve(cell: string): { value: unknown } | { problem: string } | null {
    const email = emailIn(cell);
    if (email === null) return null;
    const id = this.ids.get(email);
    if (id === undefined) return { problem: `no user has the email ${email}.` };
    this.cells++;
    this.users.add(id);
    return { value: id };
  }
}

/**
 * The row with the emails in its user-id `fields` replaced by the users' ids (the same row when it
 * names none); an email no user has makes it an invalid row that says so.
 */
export function withUserIds(row: ParsedRow, fields: readonly string[], emails: EmailResolution): ParsedRow {
  if ("error" in row || fields.length === 0) return row;
  let value = row.value;
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const cell = value[field];
    const resolved = typeof cell === "string" ? emails.resolve(cell) : null;
    if (resolved === null) continue;
    if ("problem" in resolved)
      problems.push({
        field,
        kind: "type",
        wants: "an id of users",
        sentence: `Field \`${field}\`: ${resolved.problem}`,
      });
    else {
      if (value === row.value) value = { ...value };
      value[field] = resolved.value;
    }
  }
  if (problems.length > 0)
    return { line: row.line, error: problems.map((problem) => problem.sentence).join(" "), problems };
  return value === row.value ? row : { ...row, value };
}

/** A row that cannot be sent: the preview refuses such files, so this means the file changed. */
export class RowNotSendableError extends Error {
  override name = "RowNotSendableError";
}

const regexQuoted = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A JSON row as one line, as written but for the user-id fields whose email became an id: only
 * those string tokens are replaced, so every number keeps its spelling (a snapshot's export JSON
 * tells a float from an int64 by it) and nothing else changes. Newlines outside strings become
 * spaces (inside a JSON string a newline is always escaped).
 */
export function jsonRowLine(
  text: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: readonly string[],
  where: string,
): string {
  let line = text.replace(/[\r\n]+/g, " ");
  for (const field of fields) {
    if (before[field] === after[field]) continue;
    const token = new RegExp(
      `${regexQuoted(JSON.stringify(field))}\\s*:\\s*${regexQuoted(JSON.stringify(before[field]))}`,
      "g",
    );
    const found = [...line.matchAll(token)];
    if (found.length !== 1)
      throw new RowNotSendableError(
        `${where}: the email in \`${field}\` cannot be replaced in place (it is escaped or appears twice); write the user's id.`,
      );
    const at = found[0]!.index;
    line = `${line.slice(0, at)}${JSON.stringify(field)}:${JSON.stringify(after[field])}${line.slice(at + found[0]![0].length)}`;
  }
  return line;
}

/**
 * A snapshot ZIP's entries with the emails in the user-id fields of known tables' documents replaced
 * by the users' ids; every other line and entry passes unchanged.
 */
export async function* snapshotWithUserIds<E extends { name: string; data: unknown }>(
  entries: AsyncIterable<E>,
  knownTables: Record<string, ValidatorJSON>,
  userIds: UserIdsByEmail,
): AsyncGenerator<E | { name: string; data: AsyncIterable<Uint8Array> }> {
  const emails = new EmailResolution(userIds);
  for await (const entry of entries) {
    const table = /^([^/]+)\/documents\.jsonl$/.exec(entry.name)?.[1];
    const validator = table === undefined ? undefined : knownTables[table];
    const fields = validator === undefined ? [] : userIdFields(validator);
    const data = entry.data as AsyncIterable<Uint8Array>;
    if (fields.length === 0 || typeof data !== "object" || !(Symbol.asyncIterator in data)) {
      yield entry;
      continue;
    }
    yield { name: entry.name, data: documentLinesWithUserIds(entry.name, data, fields, emails) };
  }
}

async function* documentLinesWithUserIds(
  name: string,
  data: AsyncIterable<Uint8Array>,
  fields: readonly string[],
  emails: EmailResolution,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const line of readLines(data)) {
    if (line.text.trim() === "") continue;
    if (line.invalidUtf8) throw new RowNotSendableError(`${name}: line ${line.number} is not valid UTF-8.`);
    const value = JSON.parse(line.text) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      // Not a document: Convex refuses it as it would have without the console.
      yield encoder.encode(`${line.text}\n`);
      continue;
    }
    const document = value as Record<string, unknown>;
    const row = withUserIds({ line: line.number, value: document, text: line.text }, fields, emails);
    if ("error" in row) throw new RowNotSendableError(`${name}: line ${line.number}: ${row.error}`);
    yield encoder.encode(
      `${jsonRowLine(line.text, document, row.value, fields, `${name}: line ${line.number}`)}\n`,
    );
  }
}

/** What the preview says of the emails it resolved, or null when it resolved none. */
export function resolvedSentence(cells: number, distinct: number): string | null {
  if (cells === 0) return null;
  const users = distinct === 1 ? "1 user" : `${distinct.toLocaleString("en-US")} users`;
  return `${cells.toLocaleString("en-US")} email${cells === 1 ? "" : "s"} in user columns resolved to the ids of ${users}; the ids are what is sent.`;
}
