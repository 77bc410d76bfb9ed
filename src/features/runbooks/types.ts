import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";

export type Board = FunctionReturnType<typeof api.runbooks.runbooks.board>;
export type Run = Board["openRuns"][number];
export type RunItem = Run["items"][number];
export type EvidenceMap = FunctionReturnType<typeof api.runbooks.runbooks.evidence>;
export type TemplateSummary = Board["onDemandTemplates"][number];
export type History = FunctionReturnType<typeof api.runbooks.runbooks.history>;
export type TemplateDetail = FunctionReturnType<typeof api.runbooks.runbooks.template>;
