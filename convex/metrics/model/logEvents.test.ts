import { describe, expect, test } from "vitest";
import { MAX_WIRE_NUMBER, MAX_WIRE_TEXT_LENGTH, normalizeEvent } from "./logEvents";
import { EXAMPLE_CONVEX, EXAMPLE_EXECUTION } from "./logStream.fixtures";

const convex = EXAMPLE_CONVEX;
const EXAMPLE = EXAMPLE_EXECUTION;

describe("normalizeEvent", () => {
  test("the documented function_execution example becomes an execution record", () => {
    expect(normalizeEvent(EXAMPLE)).toEqual({
      kind: "execution",
      deployment: { name: "tall-sheep-123", type: "prod", projectSlug: "app" },
      record: {
        deployment: "tall-sheep-123",
        ts: 1715973841548,
        requestId: "892104e63bd39d9a",
        functionPath: "tasks:list",
        functionType: "query",
        cached: false,
        status: "success",
        durationMs: 294,
        errorCode: null,
        errorMessage: null,
        normalizedError: null,
        occTable: null,
        runReason: "initialSubscription",
        readDocuments: 3,
        readBytes: 1077,
        writeDocuments: 0,
        writeBytes: 0,
      },
      occ: null,
    });
  });

  test("a failed mutation with occ_info is an OCC failure naming its table", () => {
    const normalized = normalizeEvent({
      ...EXAMPLE,
      function: { path: "tasks:update", type: "mutation", cached: null, request_id: "aa" },
      status: "failure",
      error_message:
        'Documents read from or written to the "tasks" table changed while this mutation was being run',
      occ_info: { table_name: "tasks", document_id: null, write_source: null, retry_count: 4 },
      usage: null,
    });
    expect(normalized.kind === "execution" && normalized.record).toMatchObject({
      status: "failure",
      errorCode: "OCC",
      occTable: "tasks",
      readDocuments: 0,
      cached: false,
    });
    // The last attempt (no will_retry) is the failure its caller saw; a null document id is named.
    expect(normalized.kind === "execution" && normalized.occ).toEqual({
      table: "tasks",
      documentId: "(unknown document)",
      willRetry: false,
    });
    const retried = normalizeEvent({
      ...EXAMPLE,
      status: "failure",
      occ_info: { table_name: "tasks", document_id: "k57abc", write_source: null, retry_count: 1 },
      will_retry: true,
    });
    expect(retried.kind === "execution" && retried.occ).toEqual({
      table: "tasks",
      documentId: "k57abc",
      willRetry: true,
    });
  });

  test("null optional fields and a missing convex block do not break the record", () => {
    const normalized = normalizeEvent({
      topic: "function_execution",
      timestamp: 5,
      convex: null,
      function: null,
      execution_time_ms: null,
      status: "success",
      error_message: null,
      run_reason: null,
      usage: null,
    });
    expect(normalized.deployment.name).toBe("unknown");
    expect(normalized.kind === "execution" && normalized.record).toMatchObject({
      functionPath: "(unknown)",
      durationMs: 0,
      runReason: null,
    });
  });

  test("a console slow-query line is recognised and keeps its request id for the join", () => {
    const normalized = normalizeEvent({
      topic: "console",
      timestamp: 10,
      convex,
      function: { path: "tasks:list", type: "query", request_id: "892104e63bd39d9a" },
      log_level: "WARN",
      message:
        '{"level":"warn","module":"tasks","message":"Slow query detected","correlationId":"1704067200000-a3f2","function":"tasks.list","duration":"237.42ms","dbCalls":15,"docsScanned":342}',
      is_truncated: false,
    });
    expect(normalized.kind === "console" && normalized.record).toMatchObject({
      requestId: "892104e63bd39d9a",
      level: "WARN",
      slowQuery: { durationMs: 237.42, dbCalls: 15, docsScanned: 342 },
    });
  });

  test("scheduler and storage events become gauges; unknown topics are ignored, not errors", () => {
    const scheduler = normalizeEvent({
      topic: "scheduler_stats",
      timestamp: 1,
      convex,
      lag_seconds: 2.5,
      num_running_jobs: 3,
    });
    expect(
      scheduler.kind === "gauges" && scheduler.records.map((gauge) => [gauge.metric, gauge.value]),
    ).toEqual([
      ["lag_seconds", 2.5],
      ["num_running_jobs", 3],
    ]);
    expect(normalizeEvent({ topic: "brand_new_topic", timestamp: 1, convex })).toMatchObject({
      kind: "ignored",
      topic: "brand_new_topic",
    });
    expect(normalizeEvent({ topic: "verification", timestamp: 7, convex, message: "test" }).kind).toBe(
      "verification",
    );
  });

  test("concurrency_stats, nested per function type, becomes one gauge per type and measure", () => {
    const normalized = normalizeEvent({
      topic: "concurrency_stats",
      timestamp: 1,
      convex,
      query: { num_running: 4, num_queued: 0 },
      mutation: { num_running: 2, num_queued: 1 },
      action: { num_running: 1, num_queued: 0 },
      node_action: { num_running: 0, num_queued: 3 },
      http_action: { num_running: 5, num_queued: 0 },
    });
    expect(
      normalized.kind === "gauges" && normalized.records.map((gauge) => [gauge.metric, gauge.value]),
    ).toEqual([
      ["concurrency.query.num_running", 4],
      ["concurrency.query.num_queued", 0],
      ["concurrency.mutation.num_running", 2],
      ["concurrency.mutation.num_queued", 1],
      ["concurrency.action.num_running", 1],
      ["concurrency.action.num_queued", 0],
      ["concurrency.node_action.num_running", 0],
      ["concurrency.node_action.num_queued", 3],
      ["concurrency.http_action.num_running", 5],
      ["concurrency.http_action.num_queued", 0],
    ]);
  });

  test("storage_api_bandwidth becomes egress for usage; audit_log keeps its action and metadata", () => {
    expect(
      normalizeEvent({
        topic: "storage_api_bandwidth",
        timestamp: 5,
        convex,
        storage_id: "kg2abc",
        egress_bytes: 4096,
      }),
    ).toMatchObject({
      kind: "bandwidth",
      record: { deployment: "tall-sheep-123", ts: 5, egressBytes: 4096 },
    });
    expect(
      normalizeEvent({
        topic: "audit_log",
        timestamp: 6,
        convex,
        audit_log_action: "push_config",
        audit_log_metadata: '{"modules":["tasks.js"]}',
      }),
    ).toMatchObject({
      kind: "audit",
      record: {
        deployment: "tall-sheep-123",
        ts: 6,
        action: "push_config",
        metadata: '{"modules":["tasks.js"]}',
      },
    });
  });

  test("every string from the wire is capped before it is stored", () => {
    const huge = "x".repeat(1024 * 1024);
    const execution = normalizeEvent({
      ...EXAMPLE,
      convex: { ...convex, deployment_name: huge, deployment_type: huge, project_slug: huge },
      function: { path: huge, type: huge, cached: false, request_id: huge },
      status: "failure",
      error_message: huge,
      run_reason: huge,
      occ_info: { table_name: huge },
    });
    const console = normalizeEvent({
      topic: "console",
      timestamp: 1,
      convex: { ...convex, deployment_name: huge },
      function: { path: huge, type: "query", request_id: huge },
      log_level: huge,
      message: huge,
    });
    const audit = normalizeEvent({
      topic: "audit_log",
      timestamp: 1,
      convex,
      audit_log_action: huge,
      audit_log_metadata: huge,
    });
    const longest = (value: unknown): number =>
      typeof value === "string"
        ? value.length
        : typeof value === "object" && value !== null
          ? Math.max(0, ...Object.values(value).map(longest))
          : 0;
    for (const normalized of [execution, console, audit]) {
      expect(longest(normalized)).toBeLessThanOrEqual(MAX_WIRE_TEXT_LENGTH);
    }
    expect(execution.kind === "execution" && execution.record.functionPath.length).toBeLessThanOrEqual(256);
    expect(execution.deployment.name.length).toBeLessThanOrEqual(128);
  });

  test("every number is checked finite and clamped, so sums cannot become Infinity", () => {
    const normalized = normalizeEvent({
      ...EXAMPLE,
      execution_time_ms: 1e308,
      usage: { database_read_documents: Infinity, database_io_read_bytes: -5, database_write_documents: NaN },
    });
    expect(normalized.kind).toBe("execution");
    if (normalized.kind !== "execution") return;
    expect(normalized.record.durationMs).toBe(MAX_WIRE_NUMBER);
    expect(normalized.record.durationMs * 128 * 1e6).toBeLessThan(Number.MAX_VALUE);
    expect([
      normalized.record.readDocuments,
      normalized.record.readBytes,
      normalized.record.writeDocuments,
    ]).toEqual([0, 0, 0]);
    const gauges = normalizeEvent({
      topic: "scheduler_stats",
      timestamp: 1,
      convex,
      lag_seconds: Infinity,
      num_running_jobs: 1e300,
    });
    expect(gauges.kind === "gauges" && gauges.records.map((gauge) => gauge.value)).toEqual([MAX_WIRE_NUMBER]);
  });
});
