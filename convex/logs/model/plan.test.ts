import { describe, expect, test } from "vitest";
import { highlightWords, matchesRow, matchesText, planQuery, searchTextOf, type MatchableRow } from "./plan";
import { parseQuery } from "./query";

const NOW = Date.UTC(2026, 11, 3, 12, 0);
const plan = (text: string) => planQuery(parseQuery(text, NOW));
const matches = (text: string, row: Partial<MatchableRow>) => matchesRow(parseQuery(text, NOW), { ...BASE, ...row });

const BASE: MatchableRow = {
  ts: NOW - 60_000,
  kind: "execution",
  level: "info",
  deployment: "tall-sheep-123",
  functionPath: "tasks:list",
  functionType: "query",
  status: "success",
  code: null,
  requestId: "892104e63bd39d9a",
  correlationId: null,
  durationMs: 294,
  dbCalls: null,
  docsScanned: 3,
  docsWritten: 0,
  cached: false,
  message: "",
};

describe("planQuery picks the narrowest index of the top-level AND", () => {
  test("the seed queries", () => {
    expect(plan("level:error timestamp:>-1h")).toEqual({
      source: { index: "by_level", level: "error" },
      from: NOW - 3_600_000,
      to: null,
    });
    expect(plan('message:"Slow query detected"').source).toEqual({
      index: "search",
      words: ["slow", "query", "detected"],
      filters: {},
    });
    expect(plan('function:"tasks.list" level:error').source).toEqual({
      index: "by_function_level",
      functionPath: "tasks:list",
      level: "error",
    });
    expect(plan("function:tasks:list").source).toEqual({ index: "by_function", functionPath: "tasks:list" });
    expect(plan("dbCalls:>50").source).toEqual({ index: "by_ts" });
  });
  test("ids first, then words with the equalities search can filter on", () => {
    expect(plan("requestId:abc level:error timeout").source).toEqual({ index: "by_request", requestId: "abc" });
    expect(plan("correlationId:1-a3f2 timeout").source).toMatchObject({ index: "by_correlation" });
    expect(plan("timeout function:tasks.list level:error deployment:d1").source).toEqual({
      index: "search",
      words: ["timeout"],
      filters: { functionPath: "tasks:list", level: "error", deployment: "d1" },
    });
    expect(plan("function:tasks.* level:warn").source).toEqual({ index: "by_level", level: "warn" });
    expect(plan("function:tasks.*").source).toEqual({ index: "by_ts" });
    expect(plan("deployment:d1").source).toEqual({ index: "by_deployment", deployment: "d1" });
  });
  test("terms under OR or NOT narrow nothing; time bounds combine", () => {
    expect(plan("level:error OR timeout").source).toEqual({ index: "by_ts" });
    expect(plan("-level:info").source).toEqual({ index: "by_ts" });
    expect(plan("timestamp:>-2h timestamp:>-1h timestamp:<-10m")).toMatchObject({
      from: NOW - 3_600_000,
      to: NOW - 600_000,
    });
  });
});

describe("matchesRow", () => {
  test("each field filters", () => {
    expect(matches("level:info", {})).toBe(true);
    expect(matches("level:error", {})).toBe(false);
    expect(matches("function:tasks.list", {})).toBe(true);
    expect(matches("function:tasks:list", {})).toBe(true);
    expect(matches("function:tasks.*", { functionPath: "tasks/admin:purge" })).toBe(true);
    expect(matches("function:tasks.*", { functionPath: "tasksArchive:list" })).toBe(false);
    expect(matches("type:query", {})).toBe(true);
    expect(matches("status:failure", {})).toBe(false);
    expect(matches("code:OCC", { code: "OCC" })).toBe(true);
    expect(matches("requestId:892104e63bd39d9a", {})).toBe(true);
    expect(matches("correlationId:1-a3f2", { correlationId: "1-a3f2" })).toBe(true);
    expect(matches("deployment:other", {})).toBe(false);
    expect(matches("duration:>250ms", {})).toBe(true);
    expect(matches("duration:>0.3s", {})).toBe(false);
    expect(matches("dbCalls:>50", { dbCalls: 51 })).toBe(true);
    expect(matches("dbCalls:>50", { dbCalls: 50 })).toBe(false);
    expect(matches("docsScanned:>=3", {})).toBe(true);
    expect(matches("docsWritten:>0", {})).toBe(false);
    expect(matches("cached:false", {})).toBe(true);
    expect(matches("timestamp:>-1h", {})).toBe(true);
    expect(matches("timestamp:>-30s", {})).toBe(false);
    expect(matches("kind:console", {})).toBe(false);
  });
  test("a field the row lacks never matches, and its negation does", () => {
    expect(matches("dbCalls:>50", {})).toBe(false);
    expect(matches("-dbCalls:>50", {})).toBe(true);
  });
  test("boolean structure", () => {
    expect(matches("level:error OR function:tasks.list", {})).toBe(true);
    expect(matches("(level:error OR level:warn) function:tasks.list", {})).toBe(false);
    expect(matches("NOT level:error", {})).toBe(true);
  });
  test("text: words in any order, phrases in order, the last word as a prefix", () => {
    const message = '{"level":"warn","message":"Slow query detected","function":"tasks.list"}';
    expect(matchesText(message, { words: ["slow", "query", "detected"], phrase: true })).toBe(true);
    expect(matchesText(message, { words: ["query", "slow"], phrase: true })).toBe(false);
    expect(matchesText(message, { words: ["query", "slow"], phrase: false })).toBe(true);
    expect(matchesText(message, { words: ["detect"], phrase: false })).toBe(true);
    expect(matchesText(message, { words: ["etected"], phrase: false })).toBe(false);
    expect(matches('message:"Slow query detected"', { message })).toBe(true);
    expect(matches("tasks.list", { message })).toBe(true);
  });
  test("search text is the message's words, so the index and the matcher agree", () => {
    expect(searchTextOf("Uncaught Error: Task 12 not-found")).toBe("uncaught error task 12 not found");
    expect(highlightWords(parseQuery('timeout message:"not found" -retry', NOW))).toEqual(["timeout", "not", "found"]);
  });
});
