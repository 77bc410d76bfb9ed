import { describe, expect, it } from "vitest";
import { countOf, formatDuration, formatPercent, formatSeconds, formatBytes } from "./format";

describe("formatDuration", () => {
  it("picks a readable unit", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(3)).toBe("3 ms");
    expect(formatDuration(0.42)).toBe("0.42 ms");
    expect(formatDuration(237.4)).toBe("237 ms");
    expect(formatDuration(1240)).toBe("1.24 s");
    expect(formatDuration(90_000)).toBe("1.5 min");
  });
});

describe("formatPercent", () => {
  it("keeps small rates visible", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.00001)).toBe("<0.01%");
    expect(formatPercent(0.0123)).toBe("1.23%");
    expect(formatPercent(0.5)).toBe("50.0%");
  });
});

describe("formatSeconds", () => {
  it("switches to minutes past two minutes", () => {
    expect(formatSeconds(0.44)).toBe("0.4 s");
    expect(formatSeconds(42)).toBe("42 s");
    expect(formatSeconds(210)).toBe("3.5 min");
  });
});

describe("formatBytes", () => {
  it("shows sizes in decimal units, as Convex's dashboard does, and nothing known as a dash", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(3400)).toBe("3.4 KB");
    expect(formatBytes(12_000_000)).toBe("12.0 MB");
    expect(formatBytes(200_000_000)).toBe("200.0 MB");
    expect(formatBytes(1_200_000_000)).toBe("1.20 GB");
    expect(formatBytes(undefined)).toBe("—");
  });
});

describe("countOf", () => {
  it("says the singular only for exactly one", () => {
    expect(countOf(1, "task")).toBe("1 task");
    expect(countOf(0, "task")).toBe("0 tasks");
    expect(countOf(2, "entry", "entries")).toBe("2 entries");
  });
});
