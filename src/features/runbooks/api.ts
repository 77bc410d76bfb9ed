/** Every backend call the Runbooks feature makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";
import type { Id } from "@convex/_generated/dataModel";
import { usePrefetch } from "@/lib/remembered";
import { useStableQuery } from "@/lib/useStableQuery";

/** The short runbook status the Overview page shows. */
export const useRunbookSummary = (now: number) => useStableQuery(api.runbooks.runbooks.summary, { now });
export const useRunbookBoard = (now: number) => useStableQuery(api.runbooks.runbooks.board, { now });
export const useRunbookEvidence = (now: number) => useStableQuery(api.runbooks.runbooks.evidence, { now });
export const useRunbookHistory = (templateId: Id<"runbookTemplates">, now: number) =>
  useStableQuery(api.runbooks.runbooks.history, { templateId, now });
export const useRunbookTemplate = (templateId: Id<"runbookTemplates">) =>
  useQuery(api.runbooks.runbooks.template, { templateId });
/** Asks for a template's history and detail beside the board, for the sections that show them. */
export const usePrefetchRunbookHistory = (templateId: string | null | undefined, now: number) =>
  usePrefetch(
    api.runbooks.runbooks.history,
    templateId ? { templateId: templateId as Id<"runbookTemplates">, now } : "skip",
  );
export const usePrefetchRunbookTemplate = (templateId: string | null | undefined) =>
  usePrefetch(
    api.runbooks.runbooks.template,
    templateId ? { templateId: templateId as Id<"runbookTemplates"> } : "skip",
  );

export const useEnsureCurrentRuns = () => useMutation(api.runbooks.runs.ensureCurrent);
export const useTickItem = () => useMutation(api.runbooks.runs.tick);
export const useUntickItem = () => useMutation(api.runbooks.runs.untick);
export const useStartRun = () => useMutation(api.runbooks.runs.start);
export const useCloseRun = () => useMutation(api.runbooks.runs.close);
export const useSaveTemplateVersion = () => useMutation(api.runbooks.templates.saveVersion);
