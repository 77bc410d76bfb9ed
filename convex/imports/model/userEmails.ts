/**
 * A `v.id("users")` cell may hold the user's email instead of the id: the console resolves it to the
 * id before the row is typed and sent. A Convex id is base32 text and never holds "@", so a cell with
 * one is an email. The emails of a file are collected in one pass and looked up in one bounded batch.
 */
import type { ValidatorJSON } from "convex/values";
import { EMAIL_LOOKUP_MAX, normalizeEmail } from "../../users/read";
import type { ParsedRow } from "./records";

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
 * The distinct emails in the rows' user-id cells. Refuses past `USER_EMAILS_PER_FILE`, with a
 * sentence the preview shows, rather than holding or looking up an unbounded set.
 */
export async function userEmailsIn(
  rows: AsyncIterable<ParsedRow>,
  tableValidator: ValidatorJSON,
): Promise<Set<string>> {
  const fields = userIdFields(tableValidator);
  const emails = new Set<string>();
  if (fields.length === 0) return emails;
  for await (const row of rows) {
    if ("error" in row || row.cells === undefined) continue;
    for (const field of fields) {
      const email = emailIn(row.cells[field] ?? "");
      if (email === null) continue;
      emails.add(email);
      if (emails.size > USER_EMAILS_PER_FILE)
        throw new TooManyEmailsError(
          `The file names more than ${USER_EMAILS_PER_FILE.toLocaleString("en-US")} distinct emails in its user columns, the most one import resolves; split the file or write the users' ids.`,
        );
    }
  }
  return emails;
}

/** What the preview says of the emails it resolved, or null when it resolved none. */
export function resolvedSentence(cells: number, distinct: number): string | null {
  if (cells === 0) return null;
  const users = distinct === 1 ? "1 user" : `${distinct.toLocaleString("en-US")} users`;
  return `${cells.toLocaleString("en-US")} email${cells === 1 ? "" : "s"} in user columns resolved to the ids of ${users}; the ids are what is sent.`;
}
