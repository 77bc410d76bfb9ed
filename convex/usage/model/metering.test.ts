import { describe, expect, test } from "vitest";
import type { RawLogEvent } from "../../lib/logEvent";
import { flowValue, storageValue } from "./plans";
import { EXAMPLE_CONVEX, storageReportEvent } from "../../metrics/model/logStream.fixtures";
import { meterEvent, STORAGE_API_FUNCTION, usageDeltas, type FlowTotals } from "./metering";

function execution(fields: {
  path?: string;
  type: string;
  cached?: boolean;
  ms: number;
  status?: "success" | "failure";
  usage?: Record<string, unknown>;
  occ?: boolean;
  ts?: number;
}): RawLogEvent {
  return {
    topic: "function_execution",
    timestamp: fields.ts ?? Date.UTC(2026, 10, 20, 12),
    convex: EXAMPLE_CONVEX,
    function: {
      path: fields.path ?? "tasks:list",
      type: fields.type,
      cached: fields.cached ?? false,
      request_id: "r1",
    },
    execution_time_ms: fields.ms,
    status: fields.status ?? "success",
    error_message: fields.status === "failure" ? "boom" : null,
    occ_info: fields.occ
      ? { table_name: "tasks", document_id: "d", write_source: null, retry_count: 1 }
      : null,
    will_retry: fields.occ === true,
    usage: fields.usage ?? {},
  };
}

function flowOf(event: RawLogEvent): FlowTotals {
  const metered = meterEvent(event);
  if (metered?.kind !== "flow") throw new Error("expected a flow");
  return metered.totals;
}

describe("metering as Convex meters", () => {
  test("a cached query counts one call and no compute", () => {
    const flow = flowOf(execution({ type: "query", cached: true, ms: 0, usage: { memory_used_mb: 0 } }));
    expect(flow.calls).toBe(1);
    expect(flow.computeGbHours).toBe(0);
  });

  test("a Node action of 512 MB for 2 s is 0.000278 GB-hours", () => {
    const flow = flowOf(execution({ type: "action", ms: 2000, usage: { action_memory_used_mb: 512 } }));
    // 512/1024 GB × 2/3600 h = 0.0002777… GB-h
    expect(flow.computeGbHours).toBeCloseTo(0.000278, 6);
  });

  test("a Convex-runtime action without a memory figure is billed at 64 MB", () => {
    const flow = flowOf(execution({ type: "action", ms: 3_600_000, usage: {} }));
    expect(flow.computeGbHours).toBe(0.0625);
  });

  test("the memory_used_mb field is used when action_memory_used_mb is absent", () => {
    const flow = flowOf(execution({ type: "http_action", ms: 3_600_000, usage: { memory_used_mb: 512 } }));
    expect(flow.computeGbHours).toBe(0.5);
  });

  test("queries and mutations add no action compute", () => {
    expect(
      flowOf(execution({ type: "mutation", ms: 5000, usage: { memory_used_mb: 64 } })).computeGbHours,
    ).toBe(0);
  });

  test("failed calls and every OCC attempt count as calls", () => {
    const { deploymentDays } = usageDeltas(
      [
        execution({ type: "mutation", ms: 5, status: "failure", occ: true, usage: {} }),
        execution({
          type: "mutation",
          ms: 5,
          status: "failure",
          occ: true,
          usage: {},
          ts: Date.UTC(2026, 10, 20, 13),
        }),
        execution({ type: "mutation", ms: 5, status: "success", usage: {}, ts: Date.UTC(2026, 10, 20, 14) }),
        execution({ type: "query", ms: 5, status: "failure", usage: {}, ts: Date.UTC(2026, 10, 20, 15) }),
      ],
      () => "2026-11-20",
    );
    expect(deploymentDays[0]!.flow.calls).toBe(4);
  });

  test("a day remembers its earliest flow event, whatever order the batch holds", () => {
    const { deploymentDays } = usageDeltas(
      [
        execution({ type: "query", ms: 5, ts: Date.UTC(2026, 10, 20, 15) }),
        execution({ type: "query", ms: 5, ts: Date.UTC(2026, 10, 20, 9) }),
        execution({ type: "query", ms: 5, ts: Date.UTC(2026, 10, 20, 12) }),
      ],
      () => "2026-11-20",
    );
    expect(deploymentDays[0]!.firstFlowAt).toBe(Date.UTC(2026, 10, 20, 9));
  });

  test("system functions are not counted", () => {
    expect(meterEvent(execution({ path: "_system/frontend/x:y", type: "query", ms: 1 }))).toBeNull();
  });

  test("database I/O sums bytes read and written", () => {
    const flow = flowOf(
      execution({
        type: "mutation",
        ms: 1,
        usage: { database_io_read_bytes: 1000, database_io_write_bytes: 24 },
      }),
    );
    expect(flow.ioReadBytes + flow.ioWriteBytes).toBe(1024);
    expect(flowValue("databaseIo", { ...flow, ioReadBytes: 2 ** 30, ioWriteBytes: 2 ** 30 })).toBe(2);
  });

  test("I/O falls back to the legacy bandwidth fields when the I/O fields are absent", () => {
    const flow = flowOf(
      execution({ type: "query", ms: 1, usage: { database_read_bytes: 700, database_write_bytes: 300 } }),
    );
    expect([flow.ioReadBytes, flow.ioWriteBytes]).toEqual([700, 300]);
  });

  test("egress adds fetch egress, file reads, storage downloads and log-stream egress", () => {
    const events: RawLogEvent[] = [
      execution({ type: "action", ms: 1, usage: { network_egress_bytes: 100, file_storage_read_bytes: 20 } }),
      {
        topic: "storage_api_bandwidth",
        timestamp: Date.UTC(2026, 10, 20),
        convex: EXAMPLE_CONVEX,
        storage_id: "s",
        egress_bytes: 3,
      },
      {
        topic: "log_stream_egress",
        timestamp: Date.UTC(2026, 10, 20),
        convex: EXAMPLE_CONVEX,
        egress_bytes: 4,
      },
    ];
    const { deploymentDays, functionDays } = usageDeltas(events, () => "2026-11-20");
    expect(deploymentDays[0]!.flow.egressBytes).toBe(127);
    // A storage download is a file access: one call, attributed to the storage API.
    expect(deploymentDays[0]!.flow.calls).toBe(2);
    expect(functionDays.find((row) => row.functionPath === STORAGE_API_FUNCTION)?.flow.calls).toBe(1);
  });

  test("search counts the text and vector bytes searched, in GB of 2^30 bytes", () => {
    const flow = flowOf(
      execution({
        type: "query",
        ms: 1,
        usage: { text_search_query_bytes: 2 ** 29, vector_search_query_bytes: 2 ** 29 },
      }),
    );
    expect(flowValue("searchQueries", flow)).toBe(1);
  });

  test("storage takes the latest gauge of the day, not a sum, whatever the arrival order", () => {
    const report = (hour: number, documentBytes: number) =>
      storageReportEvent(Date.UTC(2026, 10, 20, hour), documentBytes);
    const { deploymentDays } = usageDeltas(
      [report(9, 2 ** 30), report(11, 3 * 2 ** 30), report(10, 2 ** 31)],
      () => "d",
    );
    expect(storageValue("databaseStorage", deploymentDays[0]!.storage!)).toBe(3);
  });

  test("hostile numbers neither go negative nor poison the sums", () => {
    const flow = flowOf(
      execution({
        type: "action",
        ms: Number.NaN,
        usage: { database_io_read_bytes: -5, network_egress_bytes: "9" },
      }),
    );
    expect(flow).toMatchObject({ computeGbHours: 0, ioReadBytes: 0, egressBytes: 0 });
  });

  test("one delta per deployment day and per function day, however many events", () => {
    const events = Array.from({ length: 50 }, (_, index) =>
      execution({ type: "query", ms: 1, path: index % 2 ? "a:x" : "b:y", usage: {} }),
    );
    const { deploymentDays, functionDays } = usageDeltas(events, () => "2026-11-20");
    expect(deploymentDays).toHaveLength(1);
    expect(functionDays.map((row) => [row.functionPath, row.flow.calls]).sort()).toEqual([
      ["a:x", 25],
      ["b:y", 25],
    ]);
  });
});
