import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";

export type Board = FunctionReturnType<typeof api.runbooks.board.board>;
export type Run = Board["openRuns"][number];
export type RunItem = Run["items"][number];
export type EvidenceMap = FunctionReturnType<typeof api.runbooks.board.evidence>;
export type TemplateSummary = Board["onDemandTemplates"][number];
export type History = FunctionReturnType<typeof api.runbooks.board.history>;
export type TemplateDetail = FunctionReturnType<typeof api.runbooks.board.template>;

/** Queries take the time from the client, rounded to the minute so they resubscribe once a minute. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}
