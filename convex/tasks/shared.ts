/** What the Tasks page shares with the server: batch size, count cap, the bulk-delete phrase. */

/** Tasks one bulk action may change: one page of the table. */
export const MAX_BULK_TASKS = 100;

/** Counts stop here (shown as "1,000+"), so counting reads a bounded number of tasks. */
export const TASK_COUNT_CAP = 1000;

export const TASK_PRIORITIES = ["low", "medium", "high"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** What an operator types to delete several tasks at once: the number, so nobody deletes blind. */
export function bulkDeletePhrase(count: number): string {
  return `delete ${count} tasks`;
}
