/**
 * URL search params of the Tasks page. Malformed values are ignored, so a stale link still opens
 * the page. The text filter is `q` (never `code`, which the sign-in library reads from the URL).
 */
import type { SortingState } from "@tanstack/react-table";
import { TASK_PRIORITIES, type TaskPriority } from "@convex/tasks/shared";

export const TASK_STATES = ["open", "done"] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const TASK_ORDERS = ["newest", "oldest"] as const;
export type TaskOrder = (typeof TASK_ORDERS)[number];

export type TasksSearch = {
  state?: TaskState;
  priority?: TaskPriority;
  /** Owner's email, exact. */
  owner?: string;
  /** Words in the task's text. */
  q?: string;
  order?: TaskOrder;
};

function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return typeof value === "string" && (values as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const trimmed = String(value).trim();
  return trimmed === "" || trimmed.length > max ? undefined : trimmed;
}

export function parseTasksSearch(search: Record<string, unknown>): TasksSearch {
  return {
    state: oneOf(TASK_STATES, search.state),
    priority: oneOf(TASK_PRIORITIES, search.priority),
    owner: text(search.owner, 200),
    q: text(search.q, 200),
    order: oneOf(TASK_ORDERS, search.order),
  };
}

/** The table's sorting for the URL's order: the Created column, newest first unless `oldest`. */
export function createdSorting(search: TasksSearch): SortingState {
  return [{ id: "createdAt", desc: search.order !== "oldest" }];
}

/** The URL's order for a header click; newest first is the default and stays out of the URL. */
export function orderFromSorting(sorting: SortingState): TaskOrder | undefined {
  return sorting[0]?.id === "createdAt" && sorting[0].desc === false ? "oldest" : undefined;
}
