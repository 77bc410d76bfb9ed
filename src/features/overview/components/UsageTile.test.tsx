import { cleanup, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { answerOverviewMetrics, TILES } from "@/test/metricsFixtures";
import { TEST_RANGE_END } from "@/test/clock";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);
vi.mock("recharts", async (importOriginal) =>
  (await import("@/test/recharts")).withFixedSizeCharts(await importOriginal<object>()),
);

const NOV_1 = Date.UTC(2026, 10, 1);
const MONTH = { key: "2026-11", start: NOV_1, end: Date.UTC(2026, 11, 1) };

beforeEach(() => {
  resetFakeBackend();
  signInAs("viewer");
  answerOverviewMetrics();
});

async function usageTile() {
  renderApp("/");
  const tiles = await screen.findByRole("list", { name: "Health tiles" });
  return within(tiles).getByRole("listitem", { name: "Usage this month" });
}

describe("overview usage tile", () => {
  it("shows the worst metric and the date the next limit is reached, linking to Usage", async () => {
    answerQuery(
      api.usage.usage.headline,
      { now: TEST_RANGE_END },
      {
        plan: "free",
        worst: { metric: "databaseIo", state: "Approaching", share: 0.85, included: 1 },
        nextCrossing: { metric: "databaseIo", threshold: 1, at: Date.UTC(2026, 10, 27, 12) },
        month: MONTH,
        timeZone: "UTC",
      },
    );
    const tile = await usageTile();
    expect(tile).toHaveTextContent("Usage this month (Free)");
    expect(tile).toHaveTextContent("Database I/O 85.0%");
    expect(tile).toHaveTextContent("Database I/O reaches 100 % on Nov 27");
    expect(within(tile).getByRole("link")).toHaveAttribute("href", "/usage");
  });

  it("says when nothing was used and no limit is ahead", async () => {
    answerQuery(
      api.usage.usage.headline,
      { now: TEST_RANGE_END },
      {
        plan: "professional",
        worst: null,
        nextCrossing: null,
        month: MONTH,
        timeZone: "UTC",
      },
    );
    const tile = await usageTile();
    expect(tile).toHaveTextContent("No usage yet");
    expect(tile).toHaveTextContent("No 80 % or 100 % crossing ahead this month at the current rate");
  });

  it("is red exactly when a plan-usage rule fires, amber while one is pending, whatever the share says", async () => {
    const headline = {
      plan: "free" as const,
      worst: { metric: "databaseIo" as const, state: "Approaching" as const, share: 0.85, included: 1 },
      nextCrossing: null,
      month: MONTH,
      timeZone: "UTC",
    };
    answerQuery(api.usage.usage.headline, { now: TEST_RANGE_END }, headline);
    // 85 % used, but the rules have not judged it yet: normal, with the rule's own condition.
    let tile = await usageTile();
    expect(tile).toHaveAttribute("data-verdict", "ok");
    expect(tile).toHaveTextContent("✓ Within threshold alerts above 80 %");
    cleanup();

    const rule = { ...TILES.usage_share.rule!, reason: "plan used 85 % > 80 %" };
    const judgeUsage = (usage_share: typeof TILES.usage_share) =>
      answerQuery(api.alerts.alerts.tiles, { deployment: "tall-sheep-123" }, { ...TILES, usage_share });
    judgeUsage({ verdict: "alert", rule });
    tile = await usageTile();
    expect(tile).toHaveClass("tile-alert");
    expect(tile).toHaveTextContent("⚠ Over threshold plan used 85 % > 80 %");
    cleanup();

    judgeUsage({ verdict: "pending", rule });
    tile = await usageTile();
    expect(tile).toHaveClass("tile-pending");
  });
});
