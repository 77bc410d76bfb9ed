import { describe, expect, it } from "vitest";
import { FUNCTION_STATS, SLOW_CALLS, slowCall } from "@/test/metricsFixtures";
import {
  errorChartSummary,
  errorGroupsCsv,
  failuresByFunction,
  filterFunctionStats,
  filterSlowCalls,
  functionStatsCsv,
  parseMinMs,
  slowCallsCsv,
  type FunctionFailures,
} from "./Metrics.utils";
import { emptyPoint, formatBucketLabel } from "./series";

const functions: FunctionFailures[] = [
  {
    functionPath: "a:b",
    functionType: "query",
    calls: 100,
    failures: 6,
    failuresByCode: { OCC: 1, TIMEOUT: 5 },
  },
  { functionPath: "c:d", functionType: "mutation", calls: 10, failures: 2, failuresByCode: { OCC: 2 } },
  { functionPath: "e:f", functionType: "query", calls: 10, failures: 0, failuresByCode: {} },
];

describe("failures by function", () => {
  it("lists every failing function, most failures first, without a code", () => {
    expect(failuresByFunction(functions, undefined).map((row) => [row.functionPath, row.failures])).toEqual([
      ["a:b", 6],
      ["c:d", 2],
    ]);
  });

  it("counts only the selected code, and its share of calls", () => {
    const rows = failuresByFunction(functions, "OCC");
    expect(rows.map((row) => [row.functionPath, row.failures, row.errorRate])).toEqual([
      ["c:d", 2, 0.2],
      ["a:b", 1, 0.01],
    ]);
    expect(failuresByFunction(functions, "NOT_FOUND")).toEqual([]);
  });
});

describe("slow-queries filters", () => {
  const paths = (rows: Array<{ functionPath: string }>) => rows.map((row) => row.functionPath);

  it("match part of the path in any case, the type, and a p95 at or above the minimum", () => {
    expect(paths(filterFunctionStats(FUNCTION_STATS.functions, { fn: "TASKS:" }))).toEqual([
      "tasks:list",
      "tasks:create",
      "tasks:sync",
    ]);
    expect(paths(filterFunctionStats(FUNCTION_STATS.functions, { fn: "tasks", type: "mutation" }))).toEqual([
      "tasks:create",
    ]);
    expect(paths(filterFunctionStats(FUNCTION_STATS.functions, { minMs: 700 }))).toEqual([
      "tasks:sync",
      "cron:sweep",
    ]);
  });

  it("count a function without a p95 as 0 ms", () => {
    const functions = [{ ...FUNCTION_STATS.functions[0]!, p95Ms: null }];
    expect(filterFunctionStats(functions, { minMs: 1 })).toEqual([]);
    expect(filterFunctionStats(functions, {})).toEqual(functions);
  });

  it("keep slow calls that took at least the minimum duration", () => {
    expect(filterSlowCalls(SLOW_CALLS, { minMs: 610 }).map((row) => row.durationMs)).toEqual([1450, 610]);
    expect(filterSlowCalls(SLOW_CALLS, { type: "action" }).map((row) => row.functionPath)).toEqual([
      "tasks:sync",
    ]);
  });

  it("read a positive minimum from what was typed, anything else is no filter", () => {
    expect(parseMinMs("250")).toBe(250);
    expect(parseMinMs(" 1.5 ")).toBe(1.5);
    for (const draft of ["", "  ", "0", "-3", "abc", "Infinity"]) {
      expect(parseMinMs(draft)).toBeUndefined();
    }
  });
});

describe("CSV rows", () => {
  it("write one line per function with empty cells for missing percentiles", () => {
    const lines = functionStatsCsv([
      { ...FUNCTION_STATS.functions[0]!, p50Ms: null, p95Ms: null, p99Ms: null },
    ]).split("\r\n");
    expect(lines[0]).toBe(
      "function,type,calls,p50_ms,p95_ms,p99_ms,max_ms,mean_ms,mean_docs_read,error_rate,share_of_time",
    );
    expect(lines[1]).toBe("tasks:list,query,1000,,,,720,20,12.5,0,0.6");
  });

  it("write slow calls with an ISO time and empty cells for what an action does not report", () => {
    const call = slowCall("c9", 1450, {
      ts: Date.UTC(2026, 0, 2, 3, 4, 5),
      dbCalls: null,
      correlationId: null,
    });
    expect(slowCallsCsv([call]).split("\r\n")[1]).toBe(
      "2026-01-02T03:04:05.000Z,tasks:list,query,1450,,342,342,,req-c9,success",
    );
  });

  it("write error groups with quoted messages and ISO times", () => {
    const group = {
      groupId: "g" as never,
      functionPath: "tasks:create",
      code: "OCC",
      message: 'Table "<str>" changed',
      sampleMessage: 'Table "tasks" changed',
      count: 3,
      firstSeen: Date.UTC(2026, 0, 1),
      lastSeen: Date.UTC(2026, 0, 2),
      lastRequestId: "req-1",
      firstSeenEver: Date.UTC(2026, 0, 1),
    };
    expect(errorGroupsCsv([group]).split("\r\n")[1]).toBe(
      '3,OCC,tasks:create,"Table ""<str>"" changed","Table ""tasks"" changed",2026-01-01T00:00:00.000Z,2026-01-02T00:00:00.000Z,req-1',
    );
  });
});

describe("error chart summary", () => {
  const at = (bucket: number, calls: number, failuresByCode: Record<string, number>) => {
    const failures = Object.values(failuresByCode).reduce((sum, count) => sum + count, 0);
    return { ...emptyPoint(bucket), calls, failures, failuresByCode };
  };

  it("says when there were no calls or no failures", () => {
    expect(errorChartSummary([emptyPoint(0)], undefined, "last hour").summary).toBe("No calls last hour.");
    expect(errorChartSummary([at(0, 1200, {})], undefined, "last hour").summary).toBe(
      "No failures in 1,200 calls last hour.",
    );
    expect(errorChartSummary([at(0, 10, { OCC: 1 })], "TIMEOUT", "last hour").summary).toBe(
      "No TIMEOUT failures in 10 calls last hour.",
    );
  });

  it("counts failures by code, most frequent first, and names the busiest minute without a code", () => {
    const points = [at(0, 100, { OCC: 1 }), at(60_000, 100, { OCC: 2, TIMEOUT: 3 })];
    const all = errorChartSummary(points, undefined, "last hour");
    expect(all.failures).toBe(6);
    expect(all.byCode.map((entry) => entry.code)).toEqual(["OCC", "TIMEOUT"]);
    expect(all.summary).toBe(
      `6 failures in 200 calls last hour (3.00%): OCC 3, TIMEOUT 3. Most failures at ${formatBucketLabel(60_000)} (5).`,
    );
    const occ = errorChartSummary(points, "OCC", "last hour");
    expect(occ.failures).toBe(3);
    expect(occ.summary).toBe("3 OCC failures in 200 calls last hour (1.50%): OCC 3.");
  });
});
