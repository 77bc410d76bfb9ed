/** Every backend call the Tasks page makes, one hook each. */
import { useConvex, useMutation, usePaginatedQuery, useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { useCallback } from "react";
import { api } from "@convex/_generated/api";

export type TaskListArgs = Omit<FunctionArgs<typeof api.tasks.admin.list>, "paginationOpts">;

export const useTaskList = (args: TaskListArgs, initialNumItems: number) =>
  usePaginatedQuery(api.tasks.admin.list, args, { initialNumItems });
export const useTaskCounts = (args: FunctionArgs<typeof api.tasks.admin.counts>) =>
  useQuery(api.tasks.admin.counts, args);
export const useSetTasksCompleted = () => useMutation(api.tasks.admin.setCompleted);
export const useSetTasksPriority = () => useMutation(api.tasks.admin.setPriority);
export const useRemoveTasks = () => useMutation(api.tasks.admin.remove);

/** Fetches one page of the list on demand (the export reads the whole filtered set this way). */
export function useFetchTaskPage() {
  const convex = useConvex();
  return useCallback(
    (args: TaskListArgs, cursor: string | null, numItems: number) =>
      convex.query(api.tasks.admin.list, { ...args, paginationOpts: { cursor, numItems } }),
    [convex],
  );
}
