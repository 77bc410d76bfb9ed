import { describe, expect, test } from "vitest";
import {
  aroundDeployText,
  codesOf,
  logsHref,
  markerBuckets,
  regressionText,
  watchingText,
} from "./Functions.utils";

describe("function and deploy page text", () => {
  test("the logs link carries the function query, encoded", () => {
    expect(logsHref("tasks/list.ts:get")).toBe("/logs?q=function%3A%22tasks%2Flist.ts%3Aget%22");
  });

  test("regressions and the watch read as sentences", () => {
    expect(regressionText(["p95", "errorRate"])).toBe("p95 up, error rate up");
    expect(watchingText(1)).toBe("watching, 1 minute left");
    expect(watchingText(7)).toBe("watching, 7 minutes left");
  });

  test("the jump at the newest deploy reads as before → after", () => {
    expect(
      aroundDeployText({
        before: { calls: 94, errorRate: 0, p95Ms: 24 },
        after: { calls: 1200, errorRate: 0.0123, p95Ms: 180 },
        windowMs: 60_000,
      }),
    ).toBe("p95 24 ms → 180 ms, error rate 0% → 1.23%, calls 94 → 1,200 (1 minute either side)");
    expect(
      aroundDeployText({
        before: { calls: 0, errorRate: 0, p95Ms: null },
        after: { calls: 3, errorRate: 0, p95Ms: 5 },
        windowMs: 600_000,
      }),
    ).toBe("p95 — → 5 ms, error rate 0% → 0%, calls 0 → 3 (10 minutes either side)");
  });

  test("codes are ordered by failures, markers land on their bucket", () => {
    expect(codesOf([{ failuresByCode: { OCC: 1, TIMEOUT: 3 } }, { failuresByCode: { OCC: 1 } }])).toEqual([
      "TIMEOUT",
      "OCC",
    ]);
    expect(markerBuckets([{ ts: 125_000 }, { ts: 170_000 }], 60_000)).toEqual([120_000]);
  });
});
