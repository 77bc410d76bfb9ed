/**
 * What the log-stream ingest hands the logs domain, and the stored row each becomes. The input
 * types are structural so the metrics domain passes its normalised records as they are.
 */
import type { ExecutionBasics } from "../../lib/logEvent";
import { searchTextOf, type MatchableRow } from "./plan";

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
/** The finer search bucket: an hour holding more text matches than one search returns is searched by these. */
export const SLOT_MS = 5 * MINUTE_MS;

export type ExecutionInput = ExecutionBasics;

export type ConsoleInput = {
  deployment: string;
  ts: number;
  requestId: string | null;
  functionPath: string | null;
  level: string;
  message: string;
  slowQuery: { correlationId: string; durationMs: number; dbCalls: number; docsScanned: number } | null;
};

export type DeployInput = { deployment: string; ts: number; action: string };

export type LogInput =
  | { kind: "execution"; record: ExecutionInput }
  | { kind: "console"; record: ConsoleInput }
  | { kind: "deploy"; record: DeployInput };

/** The deployment's audit_log action for a deploy: the tail shows it as a marker row. */
export const DEPLOY_ACTION = "push_config";

export type LogRow = MatchableRow & {
  kind: "execution" | "console" | "deploy";
  text: string;
  hour: number;
  slot: number;
};

const EMPTY = {
  functionPath: null,
  functionType: null,
  status: null,
  code: null,
  requestId: null,
  correlationId: null,
  durationMs: null,
  dbCalls: null,
  docsScanned: null,
  docsWritten: null,
  cached: null,
};

/** Start of the `size`-long bucket (an hour, a slot) that `ts` falls in. */
export function bucketOf(ts: number, size: number): number {
  return Math.floor(ts / size) * size;
}

function withText(row: Omit<LogRow, "text" | "hour" | "slot">): LogRow {
  return {
    ...row,
    text: searchTextOf(row.message),
    hour: bucketOf(row.ts, HOUR_MS),
    slot: bucketOf(row.ts, SLOT_MS),
  };
}

export function logRowOf(input: LogInput): LogRow {
  switch (input.kind) {
    case "execution": {
      const record = input.record;
      return withText({
        ...EMPTY,
        deployment: record.deployment,
        ts: record.ts,
        kind: "execution",
        level: record.status === "failure" ? "error" : "info",
        functionPath: record.functionPath,
        functionType: record.functionType,
        status: record.status,
        code: record.errorCode,
        requestId: record.requestId === "" ? null : record.requestId,
        durationMs: record.durationMs,
        docsScanned: record.readDocuments,
        docsWritten: record.writeDocuments,
        cached: record.cached,
        message: record.errorMessage ?? "",
      });
    }
    case "console": {
      const record = input.record;
      const slow = record.slowQuery;
      return withText({
        ...EMPTY,
        deployment: record.deployment,
        ts: record.ts,
        kind: "console",
        level: record.level.toLowerCase(),
        functionPath: record.functionPath,
        requestId: record.requestId,
        correlationId: slow?.correlationId || null,
        durationMs: slow?.durationMs ?? null,
        dbCalls: slow?.dbCalls ?? null,
        docsScanned: slow?.docsScanned ?? null,
        message: record.message,
      });
    }
    case "deploy":
      return withText({
        ...EMPTY,
        deployment: input.record.deployment,
        ts: input.record.ts,
        kind: "deploy",
        level: "info",
        message: "Deployed: functions, schema and config pushed (push_config)",
      });
  }
}
