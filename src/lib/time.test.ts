import { describe, expect, it } from "vitest";
import { formatSince } from "./time";

const NOW = Date.UTC(2026, 10, 22, 12, 0);

describe("formatSince", () => {
  it("says how long ago a past moment was", () => {
    expect(formatSince(NOW - 20_000, NOW)).toBe("20 seconds ago");
    expect(formatSince(NOW - 3 * 60_000, NOW)).toBe("3 minutes ago");
  });

  it("never counts down to a moment the sender's clock put in the future", () => {
    expect(formatSince(NOW + 40_000, NOW)).toBe("just now");
    expect(formatSince(NOW, NOW)).toBe("just now");
  });
});
