import { expect, test } from "vitest";
import { usageState, worseState } from "./states";

test("states follow Convex's names: Approaching from 80 %, Exceeded at the amount", () => {
  expect(usageState(79.9, 100)).toBe("Default");
  expect(usageState(80, 100)).toBe("Approaching");
  expect(usageState(99.99, 100)).toBe("Approaching");
  expect(usageState(100, 100)).toBe("Exceeded");
  expect(worseState("Approaching", "Default")).toBe("Approaching");
  expect(worseState("Approaching", "Exceeded")).toBe("Exceeded");
});
