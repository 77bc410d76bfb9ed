import { expect, test } from "vitest";
import { parseLogsSearch } from "./search";

test("the query, mode and open request survive a reload; junk is dropped", () => {
  expect(parseLogsSearch({ q: ' level:error timestamp:>-1h ', mode: "tail", request: "r1", deployment: "prod" })).toEqual({
    q: "level:error timestamp:>-1h",
    mode: "tail",
    request: "r1",
    deployment: "prod",
  });
  expect(parseLogsSearch({ q: "", mode: "sideways", request: 42 })).toEqual({
    q: undefined,
    mode: undefined,
    request: "42",
    deployment: undefined,
  });
  expect(parseLogsSearch({ q: "x".repeat(1001) }).q).toBeUndefined();
});
