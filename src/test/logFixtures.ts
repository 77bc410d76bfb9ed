import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";

type LogRow = FunctionReturnType<typeof api.logs.logs.search>["rows"][number];

/** The tests' "now" for log rows: 3 Dec 2026, 12:00 UTC. */
export const LOG_NOW = Date.UTC(2026, 11, 3, 12, 0);

/** A successful query's execution line, as the log search returns it; tests override what they look at. */
export function logRow(overrides: Partial<LogRow> = {}): LogRow {
  return {
    _id: `id-${Math.random()}` as LogRow["_id"],
    _creationTime: overrides.ts ?? LOG_NOW,
    deployment: "prod-a",
    ts: LOG_NOW,
    kind: "execution",
    level: "info",
    functionPath: "tasks:list",
    functionType: "query",
    status: "success",
    code: null,
    requestId: "892104e63bd39d9a",
    correlationId: null,
    durationMs: 294,
    dbCalls: null,
    docsScanned: 3,
    docsWritten: 0,
    cached: false,
    message: "",
    ...overrides,
  };
}
