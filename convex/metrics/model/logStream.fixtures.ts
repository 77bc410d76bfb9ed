/** The function_execution example from Convex's log stream documentation, as Convex sends it, for tests. */
import type { RawLogEvent } from "../../lib/logEvent";

export const EXAMPLE_CONVEX = {
  deployment_name: "tall-sheep-123",
  deployment_type: "prod",
  project_name: "app",
  project_slug: "app",
};

export const EXAMPLE_EXECUTION: RawLogEvent = {
  topic: "function_execution",
  timestamp: 1715973841548,
  convex: EXAMPLE_CONVEX,
  function: { path: "tasks:list", type: "query", cached: false, request_id: "892104e63bd39d9a" },
  execution_time_ms: 294,
  status: "success",
  error_message: null,
  run_reason: "initialSubscription",
  usage: {
    database_io_read_bytes: 1077,
    database_io_write_bytes: 0,
    database_read_documents: 3,
    database_write_documents: 0,
    function_args_bytes: 12,
    function_returns_bytes: 843,
  },
};

/** A deployment's `convex` block as the log stream sends it on every event. */
export function convexOf(deployment: string, project = "app") {
  return {
    deployment_name: deployment,
    deployment_type: "prod",
    project_name: project,
    project_slug: project,
  };
}

let requests = 0;

/**
 * A function_execution event on `prod-a`: a successful, uncached 20 ms run of `path` (a mutation
 * when its name says update) reading 4 documents, under a request id of its own; `overrides`
 * replaces whole fields, e.g. `convex: convexOf("prod-b")` or `status: "failure"`.
 */
export function executionEvent(
  ts: number,
  path: string,
  overrides: Record<string, unknown> = {},
): RawLogEvent {
  requests += 1;
  return {
    topic: "function_execution",
    timestamp: ts,
    convex: convexOf("prod-a"),
    function: {
      path,
      type: path.includes("update") ? "mutation" : "query",
      cached: false,
      request_id: `req-${requests}`,
    },
    execution_time_ms: 20,
    status: "success",
    error_message: null,
    usage: { database_read_documents: 4, database_write_documents: 0 },
    ...overrides,
  };
}

/** A current_storage_usage gauge of the example deployment holding `documentBytes` of documents and nothing else. */
export function storageReportEvent(ts: number, documentBytes: number): RawLogEvent {
  return {
    topic: "current_storage_usage",
    timestamp: ts,
    convex: EXAMPLE_CONVEX,
    total_document_size_bytes: documentBytes,
    total_index_size_bytes: 0,
    total_file_storage_bytes: 0,
    total_vector_storage_bytes: 0,
    total_text_storage_bytes: 0,
    total_backup_storage_bytes: 0,
  };
}
