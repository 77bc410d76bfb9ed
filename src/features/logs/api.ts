/** Every backend call the Logs page makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { api } from "@convex/_generated/api";

export const useLogSearch = (args: FunctionArgs<typeof api.logs.logs.search> | "skip") =>
  useQuery(api.logs.logs.search, args);
export const useLogTail = (args: FunctionArgs<typeof api.logs.logs.tail> | "skip") =>
  useQuery(api.logs.logs.tail, args);
export const useLogTimeline = (requestId: string, deployment?: string) =>
  useQuery(api.logs.logs.requestTimeline, { requestId, ...(deployment !== undefined && { deployment }) });
export const useSavedSearches = () => useQuery(api.logs.savedSearches.list, {});
/** The saved search a `saved` link opens; skipped without one. */
export const useSavedSearch = (id: string | undefined) =>
  useQuery(api.logs.savedSearches.get, id === undefined ? "skip" : { id });
export const useSaveSearch = () => useMutation(api.logs.savedSearches.save);
export const useDeleteSavedSearch = () => useMutation(api.logs.savedSearches.remove);
/** Turns the current search into an alert rule (admins). */
export const useCreateAlertFromSearch = () => useMutation(api.alerts.searchRules.createFromSearch);
