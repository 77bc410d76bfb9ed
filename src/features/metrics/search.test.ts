import { describe, expect, it } from "vitest";
import { parseErrorsSearch, parseSlowQueriesSearch, readSort, writeSort } from "./search";

describe("metrics search params", () => {
  it("keeps valid values and drops malformed ones", () => {
    expect(
      parseSlowQueriesSearch({
        deployment: "tall-sheep-123",
        range: "6h",
        view: "calls",
        fn: " tasks:list ",
        type: "mutation",
        minMs: "250",
        sort: "durationMs.desc",
        request: "892104e63bd39d9a",
      }),
    ).toEqual({
      deployment: "tall-sheep-123",
      range: "6h",
      view: "calls",
      fn: "tasks:list",
      type: "mutation",
      minMs: 250,
      sort: "durationMs.desc",
      request: "892104e63bd39d9a",
    });
    expect(
      parseSlowQueriesSearch({ range: "2y", view: "table", type: "cron", minMs: -3, sort: "x;drop" }),
    ).toEqual({
      deployment: undefined,
      range: undefined,
      view: undefined,
      fn: undefined,
      type: undefined,
      minMs: undefined,
      sort: undefined,
      request: undefined,
    });
  });

  it("accepts error codes shaped like codes only", () => {
    expect(parseErrorsSearch({ errorCode: "OCC" }).errorCode).toBe("OCC");
    expect(parseErrorsSearch({ errorCode: "<script>" }).errorCode).toBeUndefined();
  });

  it("reads a sort only for known columns and writes it back", () => {
    expect(readSort("durationMs.desc", ["durationMs"])).toEqual({ id: "durationMs", desc: true });
    expect(readSort("secret.asc", ["durationMs"])).toBeUndefined();
    expect(writeSort({ id: "ts", desc: false })).toBe("ts.asc");
  });
});
