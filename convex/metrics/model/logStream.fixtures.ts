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
