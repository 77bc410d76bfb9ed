import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";

export type Board = FunctionReturnType<typeof api.runbooks.board.board>;
export type Run = Board["openRuns"][number];
export type RunItem = Run["items"][number];
export type EvidenceMap = FunctionReturnType<typeof api.runbooks.board.evidence>;
export type TemplateSummary = Board["onDemandTemplates"][number];
export type History = FunctionReturnType<typeof api.runbooks.board.history>;
export type TemplateDetail = FunctionReturnType<typeof api.runbooks.board.template>;
