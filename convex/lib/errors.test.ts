import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { appError, sentenceOf } from "./errors";

describe("sentenceOf", () => {
  test("a console error reads as its message, not its code or JSON", () => {
    expect(sentenceOf(appError("NOT_FOUND", "That backup does not exist."))).toBe(
      "That backup does not exist.",
    );
  });

  test("a ConvexError without a message, a plain Error and a thrown string still read as words", () => {
    expect(sentenceOf(new ConvexError("quota reached"))).toBe("quota reached");
    expect(sentenceOf(new Error("fetch failed"))).toBe("fetch failed");
    expect(sentenceOf("socket hang up")).toBe("socket hang up");
  });
});
