import { describe, expect, it } from "vitest";
import { confidenceText, crossingText, formatUsageAmount, usageStandingText } from "./usageFormat";

describe("usage formatting", () => {
  it("writes amounts in the plan's units, keeping small amounts visible", () => {
    expect(formatUsageAmount("functionCalls", 1_234_567)).toBe("1,234,567 calls");
    expect(formatUsageAmount("actionCompute", 0.000277777)).toBe("0.000278 GB-hours");
    expect(formatUsageAmount("databaseStorage", 12.3456)).toBe("12.35 GB");
    expect(formatUsageAmount("fileStorage", null)).toBe("—");
  });

  it("words crossings in the team's time zone", () => {
    const at = Date.UTC(2026, 10, 26, 23, 30);
    expect(crossingText("functionCalls", { at, alreadyReached: false }, "UTC")).toBe("Nov 26");
    expect(crossingText("functionCalls", { at, alreadyReached: false }, "Pacific/Auckland")).toBe("Nov 27");
    expect(crossingText("functionCalls", { at, alreadyReached: true }, "UTC")).toBe("reached Nov 26");
    expect(crossingText("functionCalls", null, "UTC")).toBe("not this month");
    expect(crossingText("databaseStorage", null, "UTC")).toBe("not foreseen within a year");
  });

  it("says where the month stands: an exceeded metric first, then the next crossing ahead", () => {
    const at = Date.UTC(2026, 10, 26, 23, 30);
    const crossing = { metric: "databaseIo", threshold: 0.8, at } as const;
    expect(usageStandingText({ worst: null, nextCrossing: crossing }, "UTC")).toBe(
      "Database I/O reaches 80 % on Nov 26",
    );
    expect(usageStandingText({ worst: null, nextCrossing: null }, "UTC")).toBe(
      "No 80 % or 100 % crossing ahead this month at the current rate",
    );
    const exceeded = { metric: "databaseIo", state: "Exceeded", share: 1.474 } as const;
    expect(usageStandingText({ worst: exceeded, nextCrossing: null }, "UTC")).toBe(
      "Database I/O is past its limit at 147.4% of the included amount",
    );
    expect(
      usageStandingText(
        { worst: exceeded, nextCrossing: { metric: "functionCalls", threshold: 1, at } },
        "UTC",
      ),
    ).toBe(
      "Database I/O is past its limit at 147.4% of the included amount; Function calls reaches 100 % on Nov 26",
    );
  });

  it("flags short history with the days it stands on", () => {
    expect(confidenceText({ lowConfidence: true, daysOfData: 1 })).toBe("low confidence: 1 day of data");
    expect(confidenceText({ lowConfidence: true, daysOfData: 2 })).toBe("low confidence: 2 days of data");
    expect(confidenceText({ lowConfidence: false, daysOfData: 9 })).toBeNull();
  });
});
