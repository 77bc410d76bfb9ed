/** Pure view logic of the Logs page: query checks, highlights, copy and export formats, the tail buffer. */
import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import { highlightWords, parseQuery, QueryError } from "@convex/logs/shared";
import { toCsv } from "@/lib/csv";

export type LogRow = FunctionReturnType<typeof api.logs.logs.search>["rows"][number];

export type QueryCheck =
  | { ok: true; highlights: string[] }
  | { ok: false; column: number; length: number; message: string };

/** Parses in the browser first, so a mistake shows in the search box before any request. */
export function checkQuery(text: string, now: number): QueryCheck {
  try {
    return { ok: true, highlights: highlightWords(parseQuery(text, now)) };
  } catch (error) {
    if (error instanceof QueryError) {
      return { ok: false, column: error.column, length: error.length, message: error.message };
    }
    throw error;
  }
}

export type Segment = { text: string; match: boolean };

/** Splits a message into runs, marking every word that starts with a highlighted word. */
export function highlightSegments(message: string, words: readonly string[]): Segment[] {
  if (words.length === 0 || message === "") return [{ text: message, match: false }];
  const segments: Segment[] = [];
  const pattern = /[\p{L}\p{N}_]+/gu;
  let last = 0;
  for (const found of message.matchAll(pattern)) {
    const word = found[0].toLowerCase();
    if (!words.some((wanted) => word.startsWith(wanted))) continue;
    if (found.index > last) segments.push({ text: message.slice(last, found.index), match: false });
    segments.push({ text: found[0], match: true });
    last = found.index + found[0].length;
  }
  if (last < message.length) segments.push({ text: message.slice(last), match: false });
  return segments;
}

/** What a row says when it has no message of its own (a successful execution, a deploy). */
export function messageOf(row: LogRow): string {
  if (row.message !== "") return row.message;
  if (row.kind === "execution") return `${row.functionPath ?? "?"} ${row.status ?? ""}`.trim();
  return "";
}

/** One plain line, as copied: time, level, deployment, function, duration, status, ids, message. */
export function rowLine(row: LogRow): string {
  return [
    new Date(row.ts).toISOString(),
    row.level.toUpperCase(),
    row.deployment,
    row.functionPath ?? "-",
    row.durationMs === null ? "-" : `${row.durationMs}ms`,
    row.status ?? "-",
    row.requestId === null ? null : `request=${row.requestId}`,
    row.correlationId === null ? null : `correlation=${row.correlationId}`,
    messageOf(row).replace(/\s+/g, " "),
  ]
    .filter((part) => part !== null)
    .join(" ");
}

const EXPORT_COLUMNS = [
  "ts",
  "kind",
  "level",
  "deployment",
  "functionPath",
  "functionType",
  "status",
  "code",
  "durationMs",
  "dbCalls",
  "docsScanned",
  "docsWritten",
  "cached",
  "requestId",
  "correlationId",
  "message",
] as const;

function exportRecord(row: LogRow) {
  return Object.fromEntries(
    EXPORT_COLUMNS.map((column) => [column, column === "ts" ? new Date(row.ts).toISOString() : row[column]]),
  );
}

export function toJsonl(rows: readonly LogRow[]): string {
  return rows.map((row) => JSON.stringify(exportRecord(row))).join("\n") + (rows.length > 0 ? "\n" : "");
}

export function toLogCsv(rows: readonly LogRow[]): string {
  return toCsv(
    EXPORT_COLUMNS,
    rows.map((row) => EXPORT_COLUMNS.map((column) => exportRecord(row)[column] as string | number | boolean | null)),
  );
}

/** The next row at error level after `from`, wrapping around; null when there is none. */
export function nextErrorIndex(rows: readonly LogRow[], from: number): number | null {
  for (let step = 1; step <= rows.length; step++) {
    const index = (from + step + rows.length) % rows.length;
    if (rows[index]!.level === "error") return index;
  }
  return null;
}

export type TailBuffer = { rows: LogRow[]; ids: Set<string>; dropped: number };

export const emptyTail = (): TailBuffer => ({ rows: [], ids: new Set(), dropped: 0 });

/**
 * Appends what arrived (in arrival order), ignoring rows already held, and drops the oldest past
 * `capacity`, counting them.
 */
export function appendToTail(buffer: TailBuffer, incoming: readonly LogRow[], capacity: number): TailBuffer {
  const fresh = incoming.filter((row) => !buffer.ids.has(row._id));
  if (fresh.length === 0) return buffer;
  const rows = [...buffer.rows, ...fresh];
  const overflow = Math.max(0, rows.length - capacity);
  const kept = overflow > 0 ? rows.slice(overflow) : rows;
  const ids = new Set(buffer.ids);
  for (const row of fresh) ids.add(row._id);
  for (const row of rows.slice(0, overflow)) ids.delete(row._id);
  return { rows: kept, ids, dropped: buffer.dropped + overflow };
}
