/**
 * Turns raw log-stream events into the records the ingest stores. Optional values may arrive as
 * null or be missing; numbers that are absent count as zero. This is the one place wire values are
 * made safe to store: every string is capped (wireText) and every number made finite and clamped
 * (wireNumber), so a hostile or broken sender can neither bloat documents nor poison sums.
 */
import type { ConsoleBasics, ExecutionBasics, RawLogEvent } from "../../lib/logEvent";
import { classifyFailure, normalizeErrorMessage } from "./errorClassification";
import { parseSlowQueryLine, type SlowQueryLine } from "../../lib/slowQuery";

export type Deployment = { name: string; type: string; projectSlug: string | null };

export type ExecutionRecord = ExecutionBasics & {
  normalizedError: string | null;
  occTable: string | null;
  runReason: string | null;
  readBytes: number;
  writeBytes: number;
};

/**
 * A write conflict as Convex's `occ_info` names it (crates/errors OccInfo: table_name, document_id,
 * write_source, component_path, retry_count, each nullable). Every attempt is its own event; one that
 * `will_retry` is a retry, the last one is the failure the caller sees.
 */
export type OccRecord = { table: string; documentId: string; willRetry: boolean };

export type ConsoleRecord = ConsoleBasics & { slowQuery: SlowQueryLine | null };

export type GaugeRecord = { deployment: string; ts: number; metric: string; value: number };

/** One storage API download: egress for usage. The storage id is not kept (unbounded cardinality). */
export type BandwidthRecord = { deployment: string; ts: number; egressBytes: number };

/** A change to the watched deployment (deploys are `push_config`). */
type DeploymentAuditRecord = { deployment: string; ts: number; action: string; metadata: string };

type NormalizedEvent =
  | { kind: "verification"; deployment: Deployment; ts: number }
  | { kind: "execution"; deployment: Deployment; record: ExecutionRecord; occ: OccRecord | null }
  | { kind: "console"; deployment: Deployment; record: ConsoleRecord }
  | { kind: "gauges"; deployment: Deployment; records: GaugeRecord[] }
  | { kind: "bandwidth"; deployment: Deployment; record: BandwidthRecord }
  | { kind: "audit"; deployment: Deployment; record: DeploymentAuditRecord }
  | { kind: "ignored"; deployment: Deployment; ts: number; topic: string };

/** Longest string kept from the wire: messages and audit metadata. */
export const MAX_WIRE_TEXT_LENGTH = 2000;
/** Names and identifiers are short in practice; these caps leave generous room. */
const MAX_NAME_LENGTH = 128;
const MAX_PATH_LENGTH = 256;
const MAX_LABEL_LENGTH = 64;

/**
 * Largest number kept from the wire: over 30,000 years in ms, a petabyte in bytes. Far below
 * Number.MAX_VALUE, so sums over any realistic number of events stay finite.
 */
export const MAX_WIRE_NUMBER = 1e15;

function object(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A string from the wire, capped at `maxLength`; anything else is null. */
function wireText(value: unknown, maxLength: number): string | null {
  return typeof value === "string" ? value.slice(0, maxLength) : null;
}

/** A number from the wire: finite, in [0, MAX_WIRE_NUMBER]; anything else is null. */
function wireNumber(value: unknown): number | null {
  if (typeof value !== "number" || Number.isNaN(value)) return null;
  if (value === Infinity) return null;
  return Math.min(Math.max(value, 0), MAX_WIRE_NUMBER);
}

function count(value: unknown): number {
  return wireNumber(value) ?? 0;
}

export function deploymentOf(event: RawLogEvent): Deployment {
  const convex = object(event.convex);
  return {
    name: wireText(convex.deployment_name, MAX_NAME_LENGTH) ?? "unknown",
    type: wireText(convex.deployment_type, MAX_LABEL_LENGTH) ?? "unknown",
    projectSlug: wireText(convex.project_slug, MAX_NAME_LENGTH),
  };
}

/** Function types concurrency_stats reports, each with {num_running, num_queued}. */
const CONCURRENCY_FUNCTION_TYPES = ["query", "mutation", "action", "node_action", "http_action"] as const;
const CONCURRENCY_MEASURES = ["num_running", "num_queued"] as const;

/** Gauges kept as time series: scheduler lag and storage usage (concurrency is nested, below). */
const GAUGE_FIELDS: Record<string, string[]> = {
  scheduler_stats: ["lag_seconds", "num_running_jobs"],
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
      const errorMessage = wireText(event.error_message, MAX_WIRE_TEXT_LENGTH);
      const occInfo = event.occ_info === null || event.occ_info === undefined ? null : object(event.occ_info);
      const failed = status === "failure";
      return {
        kind: "execution",
        deployment,
        record: {
          deployment: deployment.name,
          ts,
          requestId: wireText(fn.request_id, MAX_NAME_LENGTH) ?? "",
          functionPath: wireText(fn.path, MAX_PATH_LENGTH) ?? "(unknown)",
          functionType: wireText(fn.type, MAX_LABEL_LENGTH) ?? "unknown",
          cached: fn.cached === true,
          status,
          durationMs: count(event.execution_time_ms),
          errorCode: failed ? classifyFailure({ errorMessage, hasOccInfo: occInfo !== null }) : null,
          errorMessage: failed ? errorMessage : null,
          normalizedError: failed ? normalizeErrorMessage(errorMessage) : null,
          occTable: occInfo === null ? null : wireText(occInfo.table_name, MAX_NAME_LENGTH),
          runReason: wireText(event.run_reason, MAX_LABEL_LENGTH),
          readDocuments: count(usage.database_read_documents),
          readBytes: count(usage.database_io_read_bytes),
          writeDocuments: count(usage.database_write_documents),
          writeBytes: count(usage.database_io_write_bytes),
        },
        occ:
          occInfo === null
            ? null
            : {
                table: wireText(occInfo.table_name, MAX_NAME_LENGTH) ?? "(unknown table)",
                documentId: wireText(occInfo.document_id, MAX_NAME_LENGTH) ?? "(unknown document)",
                willRetry: event.will_retry === true,
              },
      };
    }

    case "console": {
      const message = wireText(event.message, MAX_WIRE_TEXT_LENGTH) ?? "";
      const slowQuery = parseSlowQueryLine(message);
      return {
        kind: "console",
        deployment,
        record: {
          deployment: deployment.name,
          ts,
          requestId: wireText(fn.request_id, MAX_NAME_LENGTH),
          functionPath: wireText(fn.path, MAX_PATH_LENGTH),
          level: wireText(event.log_level, MAX_LABEL_LENGTH) ?? "LOG",
          message,
          slowQuery:
            slowQuery === null
              ? null
              : {
                  ...slowQuery,
                  functionName: slowQuery.functionName.slice(0, MAX_PATH_LENGTH),
                  correlationId: slowQuery.correlationId.slice(0, MAX_NAME_LENGTH),
                  durationMs: count(slowQuery.durationMs),
                  dbCalls: count(slowQuery.dbCalls),
                  docsScanned: count(slowQuery.docsScanned),
                },
        },
      };
    }

    case "concurrency_stats": {
      const records: GaugeRecord[] = [];
      for (const type of CONCURRENCY_FUNCTION_TYPES) {
        const stats = object(event[type]);
        for (const measure of CONCURRENCY_MEASURES) {
          const value = wireNumber(stats[measure]);
          if (value !== null) {
            records.push({
              deployment: deployment.name,
              ts,
              metric: `concurrency.${type}.${measure}`,
              value,
            });
          }
        }
      }
      return { kind: "gauges", deployment, records };
    }

    case "storage_api_bandwidth":
      return {
        kind: "bandwidth",
        deployment,
        record: { deployment: deployment.name, ts, egressBytes: count(event.egress_bytes) },
      };

    case "audit_log":
      return {
        kind: "audit",
        deployment,
        record: {
          deployment: deployment.name,
          ts,
          action: wireText(event.audit_log_action, MAX_LABEL_LENGTH) ?? "unknown",
          metadata:
            wireText(
              typeof event.audit_log_metadata === "string"
                ? event.audit_log_metadata
                : JSON.stringify(event.audit_log_metadata ?? null),
              MAX_WIRE_TEXT_LENGTH,
            ) ?? "",
        },
      };

    default: {
      const fields = GAUGE_FIELDS[event.topic];
      if (fields === undefined) {
        return { kind: "ignored", deployment, ts, topic: event.topic.slice(0, MAX_LABEL_LENGTH) };
      }
      const records = fields.flatMap((field) => {
        const value = wireNumber(event[field]);
        return value === null ? [] : [{ deployment: deployment.name, ts, metric: field, value }];
      });
      return { kind: "gauges", deployment, records };
    }
  }
}
