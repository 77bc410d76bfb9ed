import { describe, expect, it } from "vitest";
import { codesByFrequency, emptyPoint, fillBuckets } from "./series";

const MINUTE = 60_000;

describe("fillBuckets", () => {
  it("shows buckets without events as zero across the whole range", () => {
    const point = { ...emptyPoint(2 * MINUTE), calls: 5, failures: 1, failuresByCode: { OCC: 1 } };
    const filled = fillBuckets([point], 30_000, 4 * MINUTE, MINUTE, emptyPoint);
    expect(filled.map((p) => [p.bucket, p.calls])).toEqual([
      [0, 0],
      [MINUTE, 0],
      [2 * MINUTE, 5],
      [3 * MINUTE, 0],
    ]);
  });
});

describe("codesByFrequency", () => {
  it("orders codes by their failures", () => {
    expect(
      codesByFrequency([
        { ...emptyPoint(0), failuresByCode: { OCC: 1, INTERNAL: 3 } },
        { ...emptyPoint(MINUTE), failuresByCode: { OCC: 4 } },
      ]),
    ).toEqual([
      { code: "OCC", failures: 5 },
      { code: "INTERNAL", failures: 3 },
    ]);
  });
});
