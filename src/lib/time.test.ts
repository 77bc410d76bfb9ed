import { describe, expect, it } from "vitest";
import { formatRelative } from "./time";

const NOW = Date.UTC(2026, 10, 22, 12, 0);

describe("formatRelative", () => {
  it("says how long ago a past moment was", () => {
    expect(formatRelative(NOW - 20_000, NOW)).toBe("20 seconds ago");
    expect(formatRelative(NOW - 3 * 60_000, NOW)).toBe("3 minutes ago");
  });

  it("reads 'just now' for anything just done, even when the backend's clock runs ahead of the browser's", () => {
    expect(formatRelative(NOW, NOW)).toBe("just now");
    expect(formatRelative(NOW + 7_000, NOW)).toBe("just now");
    expect(formatRelative(NOW + 15_000, NOW)).toBe("just now");
    expect(formatRelative(NOW + 40_000, NOW)).toBe("just now");
  });

  it("counts down to a deadline, however near", () => {
    expect(formatRelative(NOW + 40_000, NOW, "deadline")).toBe("in 40 seconds");
    expect(formatRelative(NOW + 6 * 86_400_000, NOW, "deadline")).toBe("in 6 days");
  });

  it("reads a deadline as a countdown in words, not as a moment that has happened", () => {
    expect(formatRelative(NOW + 5 * 60_000, NOW, "deadline")).toBe("in 5 minutes");
    expect(formatRelative(NOW + 3 * 86_400_000, NOW, "deadline")).toBe("in 3 days");
    // Within the clock-skew window a past-tense moment would read "just now"; a deadline never does.
    expect(formatRelative(NOW + 90_000, NOW, "deadline")).toBe("in 2 minutes");
  });

  it("reads 'any moment now' once a deadline is due or slightly past, and 'ago' once it is well past", () => {
    expect(formatRelative(NOW, NOW, "deadline")).toBe("any moment now");
    expect(formatRelative(NOW + 400, NOW, "deadline")).toBe("any moment now");
    expect(formatRelative(NOW - 30_000, NOW, "deadline")).toBe("any moment now");
    expect(formatRelative(NOW - 2 * 60_000, NOW, "deadline")).toBe("any moment now");
    expect(formatRelative(NOW - 10 * 60_000, NOW, "deadline")).toBe("10 minutes ago");
  });

  it("still counts down to a far moment nobody marked as a deadline", () => {
    expect(formatRelative(NOW + 6 * 86_400_000, NOW)).toBe("in 6 days");
  });
});
