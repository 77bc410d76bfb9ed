/** Every backend call the Runbooks feature makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";
import type { Id } from "@convex/_generated/dataModel";
import { useStableQuery } from "@/lib/useStableQuery";

/** The short runbook status the Overview page shows. */
export const useRunbookSummary = (now: number) => useStableQuery(api.runbooks.runbooks.summary, { now });
export const useRunbookBoard = (now: number) => useStableQuery(api.runbooks.runbooks.board, { now });
export const useRunbookEvidence = (now: number) => useStableQuery(api.runbooks.runbooks.evidence, { now });
export const useRunbookHistory = (templateId: Id<"runbookTemplates">, now: number) =>
  useStableQuery(api.runbooks.runbooks.history, { templateId, now });
export const useRunbookTemplate = (templateId: Id<"runbookTemplates">) =>
  useQuery(api.runbooks.runbooks.template, { templateId });

export const useEnsureCurrentRuns = () => useMutation(api.runbooks.runs.ensureCurrent);
export const useTickItem = () => useMutation(api.runbooks.runs.tick);
export const useUntickItem = () => useMutation(api.runbooks.runs.untick);
export const useStartRun = () => useMutation(api.runbooks.runs.start);
export const useCloseRun = () => useMutation(api.runbooks.runs.close);
export const useSaveTemplateVersion = () => useMutation(api.runbooks.templates.saveVersion);
