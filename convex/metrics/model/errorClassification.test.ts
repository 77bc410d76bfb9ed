import { describe, expect, test } from "vitest";
import { classifyFailure, normalizeErrorMessage } from "./errorClassification";

describe("classifyFailure", () => {
  test.each([
    [
      `[Request ID: 1a2b] Server Error\nUncaught ConvexError: {"code":"NOT_FOUND","message":"Task gone"}`,
      "NOT_FOUND",
    ],
    [`Uncaught ConvexError: {"code":"QUOTA_EXHAUSTED","message":"no"}`, "QUOTA_EXHAUSTED"],
    [`Uncaught ConvexError: {"code":"lowercase bad","message":"no"}`, "INTERNAL"],
    [
      'Documents read from or written to the "tasks" table changed while this mutation was being run and on every subsequent retry.',
      "OCC",
    ],
    ["ArgumentValidationError: Value does not match validator.\nPath: .priority", "VALIDATION_ERROR"],
    [
      "Uncaught Error: Too many documents read in a single function execution (limit: 32000).",
      "LIMIT_EXCEEDED",
    ],
    ["Function execution timed out (maximum duration: 1s)", "TIMEOUT"],
    ["Uncaught Error: Unauthenticated call to tasks:create", "UNAUTHENTICATED"],
    ["Uncaught Error: Unauthorized: admin only", "UNAUTHORIZED"],
    ["Rate limit exceeded for sendEmail", "RATE_LIMIT_EXCEEDED"],
    ["Uncaught Error: Task k57f9ewt2qz not found", "NOT_FOUND"],
    ["Uncaught TypeError: Cannot read properties of undefined (reading 'x')", "INTERNAL"],
    [null, "INTERNAL"],
  ])("%j → %s", (errorMessage, code) => {
    expect(classifyFailure({ errorMessage, hasOccInfo: false })).toBe(code);
  });

  test("occ_info on the event means OCC whatever the message says", () => {
    expect(classifyFailure({ errorMessage: "Uncaught Error: boom", hasOccInfo: true })).toBe("OCC");
  });
});

describe("normalizeErrorMessage", () => {
  test("failures differing only in ids, numbers and request ids normalise alike", () => {
    const a = normalizeErrorMessage(
      "[Request ID: 892104e63bd39d9a] Server Error\nUncaught Error: Task jd7a8m2k1x9qv3w4e5r6t7y8u9i0o1p2 not found after 3 tries",
    );
    const b = normalizeErrorMessage(
      "[Request ID: ffff04e63bd39d9a] Server Error\nUncaught Error: Task k57f9ewt2qzz7d1mq8m0b8t2b96v7k0a not found after 12 tries",
    );
    expect(a).toBe(b);
    expect(a).toBe("Error: Task <id> not found after <n> tries");
  });

  test("a ConvexError keeps its code and its message's words, with ids masked", () => {
    expect(
      normalizeErrorMessage(
        '[Request ID: 1a2b] Server Error\nUncaught ConvexError: {"code":"NOT_FOUND","message":"Task k57f9ewt2qzz7d1mq8m0b8t2b96v7k0a not found"}',
      ),
    ).toBe("ConvexError NOT_FOUND: Task <id> not found");
  });

  test("stack frames are dropped and long messages are capped", () => {
    expect(normalizeErrorMessage("Error: boom\n    at handler (tasks.ts:10:5)")).toBe("Error: boom");
    expect(normalizeErrorMessage("x".repeat(500))).toHaveLength(200);
  });

  test("an empty message still has a group name", () => {
    expect(normalizeErrorMessage(null)).toBe("(no message)");
  });
});
