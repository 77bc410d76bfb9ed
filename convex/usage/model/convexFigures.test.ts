import { expect, test } from "vitest";
import { compareWithConvex } from "./convexFigures";

test("Convex's runtime-split compute is added up and set against ours with the difference", () => {
  const rows = compareWithConvex({ functionCalls: 1200, actionCompute: 0.5 }, [
    { metric: "functionCalls", unit: "calls", currentDay: 100, currentMonth: 1000 },
    { metric: "actionComputeConvexGbHours", unit: "GB-hours", currentDay: 0.1, currentMonth: 0.2 },
    { metric: "actionComputeNodeJsGbHours", unit: "GB-hours", currentDay: 0, currentMonth: 0.25 },
    { metric: "queryMutationComputeGbHours", unit: "GB-hours", currentDay: 5, currentMonth: 9 },
  ]);
  expect(rows).toHaveLength(2);
  expect(rows[0]).toEqual({
    metric: "functionCalls",
    ours: 1200,
    convexMonth: 1000,
    convexDay: 100,
    difference: 200,
  });
  expect(rows[1]!.convexMonth).toBeCloseTo(0.45);
  expect(rows[1]!.difference).toBeCloseTo(0.05);
});
