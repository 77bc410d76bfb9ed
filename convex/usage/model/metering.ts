/**
 * Meters log-stream events the way Convex meters its plan metrics, so the figures here can be held
 * against Convex's included amounts:
 * - function calls: every non-system execution, cached and failed included, each OCC attempt (each
 *   is its own event), plus every storage API download (a file access counts as a call);
 * - action compute: memory × duration for actions and HTTP actions, in GB-hours
 *   (MB / 1024 × s / 3600); the stream has no runtime field, so the memory it reports tells a Node
 *   action (512 MB) from a Convex-runtime one (64 MB); a missing figure counts as the Convex runtime;
 * - database I/O: bytes read plus bytes written (the I/O fields, else the legacy bandwidth fields);
 * - data egress: action fetch egress, file reads inside functions, storage API downloads and the
 *   log stream's own egress;
 * - search queries: the text and vector index bytes searched;
 * - storage: a gauge, the latest `current_storage_usage` wins (never a sum of reports).
 * GB are 2^30 bytes, as in Convex's usage limits.
 */
import type { RawLogEvent } from "../../lib/logEvent";

export const BYTES_PER_GB = 2 ** 30;
/** Convex-runtime (V8 isolate) memory: 64 MiB. */
export const CONVEX_RUNTIME_MEMORY_MB = 64;
/** Node.js action memory unless configured otherwise: 512 MiB. */
export const NODE_RUNTIME_MEMORY_MB = 512;

/** Pseudo-functions for usage that no function execution carries. */
export const STORAGE_API_FUNCTION = "(storage API downloads)";
export const LOG_STREAM_FUNCTION = "(log stream egress)";

/** Largest figure kept from the wire, as the metrics ingest caps it: sums stay finite. */
const MAX_WIRE_NUMBER = 1e15;
const MAX_PATH_LENGTH = 256;
const MAX_NAME_LENGTH = 128;

/** Flow measures: summed per day. */
export type FlowTotals = {
  calls: number;
  computeGbHours: number;
  ioReadBytes: number;
  ioWriteBytes: number;
  egressBytes: number;
  searchQueryBytes: number;
};

/** One storage report, bytes per kind as Convex sends it. */
export type StorageReport = {
  at: number;
  documentBytes: number;
  indexBytes: number;
  fileBytes: number;
  backupBytes: number;
  vectorBytes: number;
  textBytes: number;
};

export type MeteredEvent =
  | { kind: "flow"; deployment: string; ts: number; functionPath: string; totals: FlowTotals }
  | { kind: "storage"; deployment: string; ts: number; report: StorageReport };

export const ZERO_FLOW: FlowTotals = {
  calls: 0,
  computeGbHours: 0,
  ioReadBytes: 0,
  ioWriteBytes: 0,
  egressBytes: 0,
  searchQueryBytes: 0,
};

function object(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A finite, non-negative wire number, or null when absent or not a number. */
function wireNumber(value: unknown): number | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  return Math.min(Math.max(value, 0), MAX_WIRE_NUMBER);
}

function bytes(value: unknown): number {
  return wireNumber(value) ?? 0;
}

function deploymentName(event: RawLogEvent): string {
  const name = object(event.convex).deployment_name;
  return typeof name === "string" ? name.slice(0, MAX_NAME_LENGTH) : "unknown";
}

export function isSystemFunction(path: string): boolean {
  return path.startsWith("_system/") || path.startsWith("_system:");
}

/** The memory an action ran with, as Convex bills it: what the event reports, else the Convex runtime's. */
export function actionMemoryMb(usage: Record<string, unknown>): number {
  return (
    wireNumber(usage.action_memory_used_mb) ?? wireNumber(usage.memory_used_mb) ?? CONVEX_RUNTIME_MEMORY_MB
  );
}

export function gbHours(memoryMb: number, durationMs: number): number {
  return (memoryMb / 1024) * (durationMs / 1000 / 3600);
}

function executionTotals(event: RawLogEvent): FlowTotals {
  const fn = object(event.function);
  const usage = object(event.usage);
  const type = fn.type;
  const cached = fn.cached === true;
  const isAction = type === "action" || type === "http_action";
  // A cached query hit runs nothing: Convex bills it as a call with no memory and no duration.
  const computeGbHours =
    isAction && !cached ? gbHours(actionMemoryMb(usage), bytes(event.execution_time_ms)) : 0;
  return {
    calls: 1,
    computeGbHours,
    ioReadBytes: wireNumber(usage.database_io_read_bytes) ?? bytes(usage.database_read_bytes),
    ioWriteBytes: wireNumber(usage.database_io_write_bytes) ?? bytes(usage.database_write_bytes),
    egressBytes: bytes(usage.network_egress_bytes) + bytes(usage.file_storage_read_bytes),
    searchQueryBytes: bytes(usage.text_search_query_bytes) + bytes(usage.vector_search_query_bytes),
  };
}

/** What one event adds to the plan metrics; null for events that meter nothing. */
export function meterEvent(event: RawLogEvent): MeteredEvent | null {
  const deployment = deploymentName(event);
  const ts = event.timestamp;
  switch (event.topic) {
    case "function_execution": {
      const path = object(event.function).path;
      const functionPath = typeof path === "string" ? path.slice(0, MAX_PATH_LENGTH) : "(unknown)";
      if (isSystemFunction(functionPath)) return null;
      return { kind: "flow", deployment, ts, functionPath, totals: executionTotals(event) };
    }
    case "storage_api_bandwidth":
      return {
        kind: "flow",
        deployment,
        ts,
        functionPath: STORAGE_API_FUNCTION,
        totals: { ...ZERO_FLOW, calls: 1, egressBytes: bytes(event.egress_bytes) },
      };
    case "log_stream_egress":
      return {
        kind: "flow",
        deployment,
        ts,
        functionPath: LOG_STREAM_FUNCTION,
        totals: { ...ZERO_FLOW, egressBytes: bytes(event.egress_bytes) },
      };
    case "current_storage_usage":
      return {
        kind: "storage",
        deployment,
        ts,
        report: {
          at: ts,
          documentBytes: bytes(event.total_document_size_bytes),
          indexBytes: bytes(event.total_index_size_bytes),
          fileBytes: bytes(event.total_file_storage_bytes),
          backupBytes: bytes(event.total_backup_storage_bytes),
          vectorBytes: bytes(event.total_vector_storage_bytes),
          textBytes: bytes(event.total_text_storage_bytes),
        },
      };
    default:
      return null;
  }
}

export function addFlow(a: FlowTotals, b: FlowTotals): FlowTotals {
  return {
    calls: a.calls + b.calls,
    computeGbHours: a.computeGbHours + b.computeGbHours,
    ioReadBytes: a.ioReadBytes + b.ioReadBytes,
    ioWriteBytes: a.ioWriteBytes + b.ioWriteBytes,
    egressBytes: a.egressBytes + b.egressBytes,
    searchQueryBytes: a.searchQueryBytes + b.searchQueryBytes,
  };
}

/** The later of two storage reports: storage is a level, so a newer report replaces an older one. */
export function latestReport(a: StorageReport | null, b: StorageReport | null): StorageReport | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.at >= a.at ? b : a;
}

export type DeploymentDayDelta = {
  deployment: string;
  day: string;
  flow: FlowTotals;
  /** The earliest flow event's instant: a run rate counts from here on the console's first day. */
  firstFlowAt: number | null;
  storage: StorageReport | null;
};
export type FunctionDayDelta = { deployment: string; day: string; functionPath: string; flow: FlowTotals };

/**
 * A batch's usage folded per (deployment, day) and per (deployment, day, function): the ingest
 * reads and writes each key once, however many events the batch holds.
 */
export function usageDeltas(
  events: RawLogEvent[],
  dayOf: (ts: number) => string,
): { deploymentDays: DeploymentDayDelta[]; functionDays: FunctionDayDelta[] } {
  const deploymentDays = new Map<string, DeploymentDayDelta>();
  const functionDays = new Map<string, FunctionDayDelta>();
  for (const event of events) {
    const metered = meterEvent(event);
    if (metered === null) continue;
    const day = dayOf(metered.ts);
    const key = JSON.stringify([metered.deployment, day]);
    const entry = deploymentDays.get(key) ?? {
      deployment: metered.deployment,
      day,
      flow: ZERO_FLOW,
      firstFlowAt: null,
      storage: null,
    };
    deploymentDays.set(key, entry);
    if (metered.kind === "storage") {
      entry.storage = latestReport(entry.storage, metered.report);
      continue;
    }
    entry.flow = addFlow(entry.flow, metered.totals);
    entry.firstFlowAt = Math.min(entry.firstFlowAt ?? metered.ts, metered.ts);
    const functionKey = JSON.stringify([metered.deployment, day, metered.functionPath]);
    const functionEntry = functionDays.get(functionKey) ?? {
      deployment: metered.deployment,
      day,
      functionPath: metered.functionPath,
      flow: ZERO_FLOW,
    };
    functionEntry.flow = addFlow(functionEntry.flow, metered.totals);
    functionDays.set(functionKey, functionEntry);
  }
  return { deploymentDays: [...deploymentDays.values()], functionDays: [...functionDays.values()] };
}
