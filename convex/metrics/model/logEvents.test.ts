import { describe, expect, test } from "vitest";
import { normalizeEvent } from "./logEvents";
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
});
