import { expect, test } from "vitest";
import { documentTitle } from "./useDocumentTitle";

test("the tab carries the firing count only when something fires", () => {
  expect(documentTitle("Alerts")).toBe("Alerts · Convex Ops Console");
  expect(documentTitle("Overview", 2)).toBe("(2 firing) Overview · Convex Ops Console");
});
