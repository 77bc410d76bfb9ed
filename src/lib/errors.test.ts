import { describe, expect, it } from "vitest";
import { errorInfo } from "./errors";

describe("errorInfo", () => {
  it("turns Convex's argument validation failures into a sentence without validator placeholders", () => {
    const convex = new Error(
      "[Request ID: 1a2b] Server Error\nArgumentValidationError: Value does not match validator.\n" +
        'Path: .timeZone\nValue: "<str>"\nValidator: v.string()',
    );
    const info = errorInfo(convex);
    expect(info.code).toBe("VALIDATION_ERROR");
    expect(info.message).toBe("The value for “timeZone” was not in the form expected.");
    expect(info.message).not.toMatch(/<str>|Validator|Request ID/);

    const local = new Error(
      "[Request ID: 1a2c] Server Error\nUncaught Error: Validator error: Missing required field `email` in object",
    );
    expect(errorInfo(local)).toEqual({ code: "VALIDATION_ERROR", message: "“email” is missing." });

    const shape = new Error(
      '[Request ID: 1a2d] Server Error\nUncaught Error: Validator error: Expected `string`, got `"<str>"`',
    );
    expect(errorInfo(shape)).toEqual({
      code: "VALIDATION_ERROR",
      message: "A value was not in the form expected.",
    });
  });
});
