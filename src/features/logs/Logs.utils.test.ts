import { describe, expect, test } from "vitest";
import { LOG_NOW, logRow } from "@/test/logFixtures";
import {
  appendToTail,
  checkQuery,
  emptyTail,
  highlightSegments,
  nextErrorIndex,
  rowLine,
  toJsonl,
  toLogCsv,
} from "./Logs.utils";

const NOW = LOG_NOW;
const row = logRow;

describe("checkQuery", () => {
  test("a seed query passes and yields its words to highlight", () => {
    expect(checkQuery('message:"Slow query detected"', NOW)).toEqual({
      ok: true,
      highlights: ["slow", "query", "detected"],
    });
  });
  test("a mistake says where and why", () => {
    expect(checkQuery("level:error timestamp:>-1x", NOW)).toMatchObject({ ok: false, column: 24 });
  });
});

test("highlights mark whole words that start with a query word", () => {
  expect(highlightSegments("Slow query detected in tasks.list", ["slow", "list"])).toEqual([
    { text: "Slow", match: true },
    { text: " query detected in tasks.", match: false },
    { text: "list", match: true },
  ]);
  expect(highlightSegments("nothing here", [])).toEqual([{ text: "nothing here", match: false }]);
});

test("a copied row is one plain line", () => {
  const line = rowLine(row({ level: "error", status: "failure", message: "Task 42\nnot found" }));
  expect(line).toBe(
    "2026-12-03T12:00:00.000Z ERROR prod-a tasks:list 294ms failure request=892104e63bd39d9a Task 42 not found",
  );
  expect(line).not.toContain("\n");
});

test("exports: one JSON object per line, and CSV with a header and formula-safe cells", () => {
  const rows = [row({ message: "=HYPERLINK(1)" }), row({ level: "error" })];
  const jsonl = toJsonl(rows).trimEnd().split("\n");
  expect(jsonl).toHaveLength(2);
  expect(JSON.parse(jsonl[0]!)).toMatchObject({ ts: "2026-12-03T12:00:00.000Z", functionPath: "tasks:list" });
  const csv = toLogCsv(rows).split("\r\n");
  expect(csv[0]).toBe(
    "ts,kind,level,deployment,functionPath,functionType,status,code,durationMs,dbCalls,docsScanned,docsWritten,cached,requestId,correlationId,message",
  );
  expect(csv[1]).toContain("'=HYPERLINK(1)");
});

test("jump to the next error wraps around and finds none when there is none", () => {
  const rows = [row({ level: "error" }), row(), row(), row({ level: "error" })];
  expect(nextErrorIndex(rows, 0)).toBe(3);
  expect(nextErrorIndex(rows, 3)).toBe(0);
  expect(nextErrorIndex([row()], 0)).toBeNull();
});

test("the tail buffer ignores repeats, keeps the newest up to capacity and counts what it dropped", () => {
  const first = [row(), row(), row()];
  let buffer = appendToTail(emptyTail(), first, 4);
  buffer = appendToTail(buffer, [first[2]!, row(), row()], 4);
  expect(buffer.rows).toHaveLength(4);
  expect(buffer.dropped).toBe(1);
  expect(buffer.rows[0]).toBe(first[1]);
  expect(buffer.ids.has(first[0]!._id)).toBe(false);
});
