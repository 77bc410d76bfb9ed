import { expect, test } from "vitest";
import { customLimitsProblem, limitsOf, PLAN_CATALOG } from "./plans";

test("the catalog holds Convex's documented amounts", () => {
  expect(PLAN_CATALOG.free.limits).toMatchObject({
    functionCalls: 1_000_000,
    actionCompute: 20,
    databaseStorage: 0.5,
  });
  expect(PLAN_CATALOG.starter.limits).toEqual(PLAN_CATALOG.free.limits);
  expect(PLAN_CATALOG.professional.limits).toMatchObject({
    functionCalls: 25_000_000,
    fileStorage: 100,
    searchStorage: 1,
  });
});

test("custom limits must name every metric with a positive finite amount", () => {
  const valid = { ...PLAN_CATALOG.professional.limits, functionCalls: 5 };
  expect(customLimitsProblem(valid)).toBeNull();
  expect(limitsOf("custom", valid).functionCalls).toBe(5);
  expect(customLimitsProblem({ ...valid, databaseIo: 0 })).toMatch(/database i\/o/);
  expect(customLimitsProblem({ ...valid, databaseIo: Number.POSITIVE_INFINITY })).toMatch(/positive/);
  expect(customLimitsProblem({ ...valid, bogus: 1 })).toMatch(/bogus/);
  const { dataEgress: _missing, ...partial } = valid;
  expect(customLimitsProblem(partial)).toMatch(/data egress/);
});
