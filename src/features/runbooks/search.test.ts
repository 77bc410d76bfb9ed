import { expect, test } from "vitest";
import { parseRunbookSearch } from "./search";

test("keeps slugs and drops anything else", () => {
  expect(parseRunbookSearch({ history: "daily-maintenance", edit: "data-loss" })).toEqual({
    history: "daily-maintenance",
    edit: "data-loss",
  });
  expect(parseRunbookSearch({ history: "<script>", edit: 3 })).toEqual({
    history: undefined,
    edit: undefined,
  });
});
