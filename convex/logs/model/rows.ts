/**
 * What the log-stream ingest hands the logs domain, and the stored row each becomes. The input
 * types are structural so the metrics domain passes its normalised records as they are.
 */
import type { ConsoleBasics, ExecutionBasics } from "../../lib/logEvent";
import { searchTextOf, type MatchableRow } from "./plan";

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
/** The finer search bucket: an hour holding more text matches than one search returns is searched by these. */
export const SLOT_MS = 5 * MINUTE_MS;

export type ExecutionInput = ExecutionBasics;

export type ConsoleInput = ConsoleBasics & {
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

/** The stored row of one event: fields it does not name are empty; its text and buckets are derived. */
function rowOf(
  kind: LogRow["kind"],
  event: { deployment: string; ts: number },
  fields: Partial<Omit<LogRow, "kind" | "deployment" | "ts" | "text" | "hour" | "slot">> &
    Pick<LogRow, "level" | "message">,
): LogRow {
  return {
    ...EMPTY,
    ...fields,
    kind,
    deployment: event.deployment,
    ts: event.ts,
    text: searchTextOf(fields.message),
    hour: bucketOf(event.ts, HOUR_MS),
    slot: bucketOf(event.ts, SLOT_MS),
  };
}

export function logRowOf(input: LogInput): LogRow {
  switch (input.kind) {
    case "execution": {
      const record = input.record;
      return rowOf("execution", record, {
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
      return rowOf("console", record, {
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
      return rowOf("deploy", input.record, {
        level: "info",
        message: "Deployed: functions, schema and config pushed (push_config)",
      });
  }
}
