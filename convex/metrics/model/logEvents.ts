/**
 * Turns raw log-stream events (DESIGN §5.1) into the records the ingest stores. Optional values
 * may arrive as null or be missing; numbers that are absent count as zero.
 */
import type { RawLogEvent } from "./logStream";
import { classifyFailure, normalizeErrorMessage } from "./errorClassification";
import { parseSlowQueryLine, type SlowQueryLine } from "../../lib/slowQuery";

export type Deployment = { name: string; type: string; projectSlug: string | null };

export type ExecutionRecord = {
  deployment: string;
  ts: number;
  requestId: string;
  functionPath: string;
  functionType: string;
  cached: boolean;
  status: "success" | "failure";
  durationMs: number;
  errorCode: string | null;
  errorMessage: string | null;
  normalizedError: string | null;
  occTable: string | null;
  runReason: string | null;
  readDocuments: number;
  readBytes: number;
  writeDocuments: number;
  writeBytes: number;
};

export type ConsoleRecord = {
  deployment: string;
  ts: number;
  requestId: string | null;
  functionPath: string | null;
  level: string;
  message: string;
  slowQuery: SlowQueryLine | null;
};

export type GaugeRecord = { deployment: string; ts: number; metric: string; value: number };

export type NormalizedEvent =
  | { kind: "verification"; deployment: Deployment; ts: number }
  | { kind: "execution"; deployment: Deployment; record: ExecutionRecord }
  | { kind: "console"; deployment: Deployment; record: ConsoleRecord }
  | { kind: "gauges"; deployment: Deployment; records: GaugeRecord[] }
  | { kind: "ignored"; deployment: Deployment; ts: number; topic: string };

const MAX_MESSAGE_LENGTH = 2000;

function object(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

export function deploymentOf(event: RawLogEvent): Deployment {
  const convex = object(event.convex);
  return {
    name: text(convex.deployment_name) ?? "unknown",
    type: text(convex.deployment_type) ?? "unknown",
    projectSlug: text(convex.project_slug),
  };
}

/** Gauges kept as time series: scheduler lag, concurrency and storage usage. */
const GAUGE_FIELDS: Record<string, string[]> = {
  scheduler_stats: ["lag_seconds", "num_running_jobs"],
  concurrency_stats: ["num_running", "num_queued"],
  current_storage_usage: [
    "total_document_size_bytes",
    "total_index_size_bytes",
    "total_file_storage_bytes",
    "total_vector_storage_bytes",
    "total_text_storage_bytes",
    "total_backup_storage_bytes",
  ],
};

export function normalizeEvent(event: RawLogEvent): NormalizedEvent {
  const deployment = deploymentOf(event);
  const ts = event.timestamp;
  const fn = object(event.function);

  switch (event.topic) {
    case "verification":
      return { kind: "verification", deployment, ts };

    case "function_execution": {
      const usage = object(event.usage);
      const status = event.status === "failure" ? "failure" : "success";
      const errorMessage = text(event.error_message)?.slice(0, MAX_MESSAGE_LENGTH) ?? null;
      const occInfo = event.occ_info === null || event.occ_info === undefined ? null : object(event.occ_info);
      const failed = status === "failure";
      return {
        kind: "execution",
        deployment,
        record: {
          deployment: deployment.name,
          ts,
          requestId: text(fn.request_id) ?? "",
          functionPath: text(fn.path) ?? "(unknown)",
          functionType: text(fn.type) ?? "unknown",
          cached: fn.cached === true,
          status,
          durationMs: count(event.execution_time_ms),
          errorCode: failed ? classifyFailure({ errorMessage, hasOccInfo: occInfo !== null }) : null,
          errorMessage: failed ? errorMessage : null,
          normalizedError: failed ? normalizeErrorMessage(errorMessage) : null,
          occTable: occInfo === null ? null : text(occInfo.table_name),
          runReason: text(event.run_reason),
          readDocuments: count(usage.database_read_documents),
          readBytes: count(usage.database_io_read_bytes),
          writeDocuments: count(usage.database_write_documents),
          writeBytes: count(usage.database_io_write_bytes),
        },
      };
    }

    case "console": {
      const message = (text(event.message) ?? "").slice(0, MAX_MESSAGE_LENGTH);
      return {
        kind: "console",
        deployment,
        record: {
          deployment: deployment.name,
          ts,
          requestId: text(fn.request_id),
          functionPath: text(fn.path),
          level: text(event.log_level) ?? "LOG",
          message,
          slowQuery: parseSlowQueryLine(message),
        },
      };
    }

    default: {
      const fields = GAUGE_FIELDS[event.topic];
      if (fields === undefined) return { kind: "ignored", deployment, ts, topic: event.topic };
      const records = fields
        .filter((field) => typeof event[field] === "number")
        .map((field) => ({ deployment: deployment.name, ts, metric: field, value: event[field] as number }));
      return { kind: "gauges", deployment, records };
    }
  }
}
