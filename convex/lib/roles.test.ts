import { expect, test } from "vitest";
import { hasRole, isRole } from "./roles";

test.each([
  ["admin", "operator", true],
  ["admin", "admin", true],
  ["operator", "viewer", true],
  ["operator", "admin", false],
  ["viewer", "operator", false],
] as const)("%s satisfies %s: %s", (actual, required, expected) => {
  expect(hasRole(actual, required)).toBe(expected);
});

test("only the three roles are roles", () => {
  expect(["viewer", "operator", "admin", "owner", ""].map(isRole)).toEqual([true, true, true, false, false]);
});
