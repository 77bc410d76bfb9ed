import { expect, test } from "vitest";
import { maskSecret } from "./secrets";

test("a masked secret shows only its last four characters", () => {
  const masked = maskSecret("prod:abc123|0123456789abcdefSECRET9f3e");
  expect(masked).toBe("••••9f3e");
  expect(masked).not.toContain("SECRET");
});
