import { describe, expect, test } from "vitest";
import {
  DEFAULT_SLOW_QUERY_THRESHOLDS,
  formatSlowQueryLine,
  isSlow,
  newCorrelationId,
  parseSlowQueryLine,
} from "./slowQuery";

const SEED_LINE =
  '{"level":"warn","module":"tasks","message":"Slow query detected","correlationId":"1704067200000-a3f2","function":"tasks.list","duration":"237.42ms","dbCalls":15,"docsScanned":342}';

describe("slow-query lines", () => {
  test("the documented line parses", () => {
    expect(parseSlowQueryLine(SEED_LINE)).toEqual({
      correlationId: "1704067200000-a3f2",
      functionName: "tasks.list",
      durationMs: 237.42,
      dbCalls: 15,
      docsScanned: 342,
    });
  });

  test("a line as Convex's console forwards it, with a level prefix, still parses", () => {
    expect(parseSlowQueryLine(`[WARN] '${SEED_LINE}'`)?.functionName).toBe("tasks.list");
  });

  test.each([
    "plain log line",
    '{"message":"something else"}',
    "{not json}",
    '{"message":"Slow query detected"}',
  ])("%j is not a slow-query line", (message) => {
    expect(parseSlowQueryLine(message)).toBeNull();
  });

  test("what the instrumentation writes is what the ingest reads", () => {
    const line = {
      correlationId: "1-00ff",
      functionName: "tasks.create",
      durationMs: 101.5,
      dbCalls: 3,
      docsScanned: 12,
    };
    expect(parseSlowQueryLine(formatSlowQueryLine("tasks", line))).toEqual(line);
  });
});

describe("thresholds", () => {
  test.each([
    [{ durationMs: 100, dbCalls: 10, docsScanned: 10_000 }, false],
    [{ durationMs: 100.01, dbCalls: 0, docsScanned: 0 }, true],
    [{ durationMs: 1, dbCalls: 11, docsScanned: 0 }, true],
    [{ durationMs: 1, dbCalls: 0, docsScanned: 10_001 }, true],
  ])("%j slow: %s", (call, slow) => {
    expect(isSlow(call, DEFAULT_SLOW_QUERY_THRESHOLDS)).toBe(slow);
  });
});

test("correlation ids are <ms>-<4 hex>", () => {
  expect(newCorrelationId(1704067200000, () => 0.6392)).toBe("1704067200000-a3a2");
  expect(newCorrelationId(5, () => 0)).toBe("5-0000");
});
