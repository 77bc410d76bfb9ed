import { describe, expect, test } from "vitest";
import { isValidEmail, normalizeEmail, passwordProblems } from "./password";

describe("passwordProblems", () => {
  test.each([
    ["short", /at least 10/],
    ["aaaaaaaaaaaa", /4 different/],
    [" padded-password-1 ", /spaces/],
    ["x".repeat(60) + "yzw" + "v".repeat(80), /at most 128/],
  ])("%j is refused", (password, rule) => {
    expect(passwordProblems(password).join(" ")).toMatch(rule);
  });

  test("a password containing the email's name is refused", () => {
    expect(passwordProblems("jordan-secret-77", "Jordan@example.com")).toContain(
      "Do not include your email address.",
    );
  });

  test("a long varied password passes", () => {
    expect(passwordProblems("correct-horse-battery-9", "ops@example.com")).toEqual([]);
  });
});

describe("emails", () => {
  test("are compared trimmed and lower-cased", () => {
    expect(normalizeEmail("  Ops@Example.COM ")).toBe("ops@example.com");
  });

  test.each([
    ["ops@example.com", true],
    ["ops@example", false],
    ["no at sign", false],
    ["two@@example.com", false],
  ])("%s valid: %s", (email, valid) => {
    expect(isValidEmail(email)).toBe(valid);
  });
});
