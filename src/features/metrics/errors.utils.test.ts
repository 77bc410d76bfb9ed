import { describe, expect, it } from "vitest";
import { failuresByFunction } from "./errors.utils";

type Row = {
  functionPath: string;
  functionType: string;
  calls: number;
  failures: number;
  failuresByCode: Record<string, number>;
};

const functions: Row[] = [
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
