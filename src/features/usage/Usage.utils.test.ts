import { describe, expect, it } from "vitest";
import {
  convexFiguresSentence,
  dailyChartRows,
  differenceText,
  seedStatusNote,
  storageKindRows,
  type MetricSummary,
} from "./Usage.utils";

const io: MetricSummary = {
  metric: "databaseIo",
  included: 1,
  value: 1.5,
  share: 1.5,
  state: "Exceeded",
  byDeployment: [{ deployment: "prod", value: 1.5 }],
  forecast: null,
  seriesKeys: ["prod · reads", "prod · writes"],
  daily: [{ day: "2026-11-03", dayStart: Date.UTC(2026, 10, 3), values: [1, 0.5] }],
};

describe("usage page logic", () => {
  it("turns a metric's days into stacked chart rows with readable series names", () => {
    const { rows, series } = dailyChartRows(io, "UTC");
    expect(series).toEqual([
      { key: "s0", name: "prod · reads" },
      { key: "s1", name: "prod · writes" },
    ]);
    expect(rows).toEqual([{ label: "Nov 3", s0: 1, s1: 0.5 }]);
  });

  it("groups storage kinds as Convex bills them", () => {
    const rows = storageKindRows({
      documentBytes: 1,
      indexBytes: 2,
      fileBytes: 3,
      backupBytes: 4,
      vectorBytes: 5,
      textBytes: 6,
    });
    expect(rows.filter((row) => row.metric === "fileStorage").map((row) => row.bytes)).toEqual([3, 4]);
    expect(storageKindRows(null)).toEqual([]);
  });

  it("words the difference from Convex's figures", () => {
    expect(differenceText("functionCalls", 12)).toBe("12 calls more than Convex counts");
    expect(differenceText("databaseIo", -0.25)).toBe("0.25 GB fewer than Convex counts");
    expect(differenceText("functionCalls", 0)).toBe("matches Convex");
    // A gap far below a thousandth of the month is still a gap worth showing.
    expect(differenceText("functionCalls", 10_000)).toBe("10,000 calls more than Convex counts");
    expect(differenceText("dataEgress", 1e-7)).toBe("matches Convex");
  });

  it("explains in a sentence why Convex's figures are missing", () => {
    expect(convexFiguresSentence({ connected: null, figures: null })).toMatch(/No deployment is connected/);
    expect(
      convexFiguresSentence({
        connected: "tall-sheep-123",
        figures: {
          fetchedAt: 1,
          state: "failed",
          problem: "The key was refused.",
          seedStatus: null,
          watched: true,
          rows: [],
        },
      }),
    ).toBe("Convex's own figures for tall-sheep-123 could not be read: The key was refused.");
  });
});

describe("seedStatusNote", () => {
  it("says why Convex's month may be short, and nothing when it is whole", () => {
    expect(seedStatusNote("complete")).toBeNull();
    expect(seedStatusNote("failed")).toBe(
      "this deployment keeps no usage history from before it started, so its month may be short",
    );
    expect(seedStatusNote("partial")).toBe(
      "Convex's meter is still filling in (partial), so its month may be short",
    );
  });
});
