import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import { toCsv } from "@/lib/csv";
import type { TasksSearch } from "./search";

export type TaskRow = FunctionReturnType<typeof api.tasks.admin.list>["page"][number];

/** The list query's filter args for a URL search (`q` becomes the text filter). */
export function taskListArgs(search: TasksSearch) {
  return {
    state: search.state,
    priority: search.priority,
    owner: search.owner,
    text: search.q,
    order: search.order,
  };
}

export function hasFilters(search: TasksSearch): boolean {
  return (
    search.state !== undefined ||
    search.priority !== undefined ||
    search.owner !== undefined ||
    search.q !== undefined
  );
}

/** "1,000+" once a count reached the server's cap, so a capped count never reads as exact. */
export function countLabel(count: number, cap: number): string {
  return count > cap ? `${cap.toLocaleString("en-US")}+` : count.toLocaleString("en-US");
}

export function tasksCsv(rows: readonly TaskRow[]): string {
  return toCsv(
    ["id", "text", "state", "priority", "owner", "createdAt"],
    rows.map((row) => [
      row._id,
      row.text,
      row.completed ? "done" : "open",
      row.priority,
      row.owner ?? "",
      new Date(row.createdAt).toISOString(),
    ]),
  );
}

/** The selected ids still on screen: a row that left the view (deleted, filtered out) drops out. */
export function visibleSelection(selected: ReadonlySet<string>, rows: readonly TaskRow[]): string[] {
  return rows.filter((row) => selected.has(row._id)).map((row) => row._id);
}

/** The most rows one export collects, so an export of a huge table stays a bounded read. */
export const TASK_EXPORT_CAP = 10_000;

type Page<Row> = { page: Row[]; isDone: boolean; continueCursor: string };

/**
 * Every row of the filtered set, page after page from the server, up to `cap`; `complete` says
 * whether the set ended before the cap.
 */
export async function collectPages<Row>(
  fetchPage: (cursor: string | null) => Promise<Page<Row>>,
  cap: number,
): Promise<{ rows: Row[]; complete: boolean }> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (;;) {
    const result = await fetchPage(cursor);
    rows.push(...result.page);
    if (result.isDone) return { rows: rows.slice(0, cap), complete: rows.length <= cap };
    if (rows.length >= cap) return { rows: rows.slice(0, cap), complete: false };
    cursor = result.continueCursor;
  }
}
