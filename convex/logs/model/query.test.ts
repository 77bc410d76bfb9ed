import { describe, expect, test } from "vitest";
import { canonicalFunction, parseDuration, parseQuery, parseTime, QueryError, type QueryNode } from "./query";

const NOW = Date.UTC(2026, 11, 3, 12, 0);
const parse = (text: string) => parseQuery(text, NOW);

function errorOf(text: string): QueryError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`"${text}" parsed without an error`);
}

describe("the seeds' four queries, verbatim", () => {
  test("level:error timestamp:>-1h", () => {
    expect(parse("level:error timestamp:>-1h")).toEqual({
      kind: "and",
      items: [
        { kind: "field", column: 1, field: "level", op: "=", value: "error" },
        { kind: "field", column: 13, field: "timestamp", op: ">", value: NOW - 3_600_000 },
      ],
    });
  });
  test('message:"Slow query detected"', () => {
    expect(parse('message:"Slow query detected"')).toEqual({
      kind: "field",
      column: 1,
      field: "message",
      op: "=",
      value: { words: ["slow", "query", "detected"], phrase: true },
    });
  });
  test('function:"tasks.list" level:error', () => {
    const tree = parse('function:"tasks.list" level:error') as Extract<QueryNode, { kind: "and" }>;
    expect(tree.items[0]).toMatchObject({ field: "function", value: { exact: "tasks:list" } });
    expect(tree.items[1]).toMatchObject({ field: "level", value: "error", column: 23 });
  });
  test("dbCalls:>50", () => {
    expect(parse("dbCalls:>50")).toEqual({ kind: "field", column: 1, field: "dbCalls", op: ">", value: 50 });
  });
});

describe("terms", () => {
  test("both spellings of a function name the same Convex path", () => {
    expect(parse("function:tasks.list")).toMatchObject({ value: { exact: "tasks:list" } });
    expect(parse("function:tasks:list")).toMatchObject({ value: { exact: "tasks:list" } });
    expect(parse("function:tasks.admin.list")).toMatchObject({ value: { exact: "tasks/admin:list" } });
    expect(parse("function:tasks.*")).toMatchObject({ value: { module: "tasks" } });
    expect(parse("function:tasks:*")).toMatchObject({ value: { module: "tasks" } });
    expect(canonicalFunction("tasks/admin:list")).toEqual({ exact: "tasks/admin:list" });
  });
  test("numeric comparisons on every operator, and durations with units", () => {
    expect(parse("dbCalls:>=10")).toMatchObject({ op: ">=", value: 10 });
    expect(parse("docsScanned:<5")).toMatchObject({ field: "docsScanned", op: "<", value: 5 });
    expect(parse("documentsWritten:<=3")).toMatchObject({ field: "docsWritten", op: "<=", value: 3 });
    expect(parse("dbCalls:7")).toMatchObject({ op: "=", value: 7 });
    expect(parse("duration:>250ms")).toMatchObject({ field: "duration", op: ">", value: 250 });
    expect(parse("duration:>1.5s")).toMatchObject({ value: 1500 });
    expect(parse("duration:<2m")).toMatchObject({ value: 120_000 });
    expect(parseDuration("40")).toBe(40);
  });
  test("relative and absolute times", () => {
    expect(parse("timestamp:>-15m")).toMatchObject({ value: NOW - 15 * 60_000 });
    expect(parse("timestamp:>2026-12-01T10:00")).toMatchObject({ value: Date.UTC(2026, 11, 1, 10, 0) });
    expect(parse("timestamp:<2026-12-01")).toMatchObject({ op: "<", value: Date.UTC(2026, 11, 1) });
    expect(parseTime("2026-12-01T10:00:30+01:00", NOW)).toBe(Date.UTC(2026, 11, 1, 9, 0, 30));
    expect(parseTime("now", NOW)).toBe(NOW);
  });
  test("keyword fields are normalised the way rows are stored", () => {
    expect(parse("level:ERROR")).toMatchObject({ value: "error" });
    expect(parse("level:warning")).toMatchObject({ value: "warn" });
    expect(parse("code:occ")).toMatchObject({ field: "code", value: "OCC" });
    expect(parse("errorCode:TIMEOUT")).toMatchObject({ field: "code" });
    expect(parse("status:failure type:mutation")).toMatchObject({ kind: "and" });
    expect(parse("requestId:892104e63bd39d9a")).toMatchObject({ field: "requestId", value: "892104e63bd39d9a" });
    expect(parse("correlationId:1704067200000-a3f2")).toMatchObject({ value: "1704067200000-a3f2" });
    expect(parse("deployment:tall-sheep-123")).toMatchObject({ field: "deployment" });
    expect(parse("cached:true")).toMatchObject({ field: "cached", value: true });
  });
  test("bare words and phrases search the message", () => {
    expect(parse("timeout")).toEqual({ kind: "text", column: 1, value: { words: ["timeout"], phrase: false } });
    expect(parse('"not found"')).toMatchObject({ kind: "text", value: { words: ["not", "found"], phrase: true } });
  });
});

describe("boolean structure", () => {
  test("AND binds tighter than OR; adjacency is AND", () => {
    const tree = parse("level:error AND function:tasks.* OR dbCalls:>50");
    expect(tree).toMatchObject({
      kind: "or",
      items: [{ kind: "and", items: [{ field: "level" }, { field: "function" }] }, { field: "dbCalls" }],
    });
  });
  test("NOT and -field negate; parentheses group", () => {
    expect(parse("NOT level:info")).toMatchObject({ kind: "not", item: { field: "level" } });
    expect(parse("-level:info")).toMatchObject({ kind: "not", item: { field: "level", value: "info" } });
    expect(parse("-timeout")).toMatchObject({ kind: "not", item: { kind: "text" } });
    expect(parse("(level:error OR level:warn) -function:tasks.*")).toMatchObject({
      kind: "and",
      items: [{ kind: "or" }, { kind: "not", item: { field: "function" } }],
    });
  });
  test("an empty query matches everything", () => {
    expect(parse("   ")).toEqual({ kind: "and", items: [] });
  });
});

describe("errors say where and why", () => {
  test.each([
    ["level:error timestamp:>-1x", 24, /not a time/],
    ["dbCalls:>lots", 10, /not a number/],
    ["duration:>fast", 11, /not a duration/],
    ["colour:red", 1, /"colour" is not a field/],
    ['message:"Slow query', 9, /never closed/],
    ["(level:error", 1, /never closed/],
    ["level:error)", 12, /closes nothing/],
    ["level:error OR", 13, /OR needs a term/],
    ["NOT", 1, /NOT needs a term/],
    ["AND level:error", 1, /needs a term before/],
    ["timestamp:-1h", 11, /compare a time with > or </],
    ["level:>error", 7, /cannot be compared/],
    ["level:", 7, /needs a value/],
    ["cached:maybe", 8, /true or false/],
    ["()", 1, /empty/],
    ["tasks:list", 1, /function:tasks:list/],
  ])("%s → column %i", (text, column, message) => {
    const error = errorOf(text);
    expect(error.column).toBe(column);
    expect(error.message).toMatch(message);
  });
});
