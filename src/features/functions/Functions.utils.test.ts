import { describe, expect, test } from "vitest";
import { codesOf, logsHref, markerBuckets, regressionText, watchingText } from "./Functions.utils";

describe("function and deploy page text", () => {
  test("the logs link carries the function query, encoded", () => {
    expect(logsHref("tasks/list.ts:get")).toBe("/logs?q=function%3A%22tasks%2Flist.ts%3Aget%22");
  });

  test("regressions and the watch read as sentences", () => {
    expect(regressionText(["p95", "errorRate"])).toBe("p95 up, error rate up");
    expect(watchingText(1)).toBe("watching, 1 minute left");
    expect(watchingText(7)).toBe("watching, 7 minutes left");
  });

  test("codes are ordered by failures, markers land on their bucket", () => {
    expect(codesOf([{ failuresByCode: { OCC: 1, TIMEOUT: 3 } }, { failuresByCode: { OCC: 1 } }])).toEqual([
      "TIMEOUT",
      "OCC",
    ]);
    expect(markerBuckets([{ ts: 125_000 }, { ts: 170_000 }], 60_000)).toEqual([120_000]);
  });
});
