import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, resetFakeBackend } from "@/test/fakeConvex";
import { DEPLOYMENTS, ERROR_GROUPS, FUNCTION_STATS, OVERVIEW, TILES } from "@/test/metricsFixtures";
import { renderApp, signInAs } from "@/test/renderApp";

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
  answerQuery(api.metrics.metrics.deployments, DEPLOYMENTS);
  answerQuery(api.metrics.metrics.overview, OVERVIEW);
  answerQuery(api.alerts.alerts.tiles, TILES);
  answerQuery(api.metrics.metrics.functionStats, FUNCTION_STATS);
  answerQuery(api.metrics.metrics.errorGroups, ERROR_GROUPS);
});

async function usageTile() {
  renderApp("/");
  const tiles = await screen.findByRole("list", { name: "Health tiles" });
  return within(tiles).getByRole("listitem", { name: "Usage this month" });
}

describe("overview usage tile", () => {
  it("shows the worst metric's state and the date the next limit is reached, linking to Usage", async () => {
    answerQuery(api.usage.usage.headline, {
      plan: "free",
      worst: { metric: "databaseIo", state: "Approaching", share: 0.85, included: 1 },
      nextCrossing: { metric: "databaseIo", threshold: 1, at: Date.UTC(2026, 10, 27, 12) },
      month: MONTH,
      timeZone: "UTC",
    });
    const tile = await usageTile();
    expect(tile).toHaveAttribute("data-state", "Approaching");
    expect(tile).toHaveTextContent("Usage this month (Free)");
    expect(tile).toHaveTextContent("Database I/O 85.0%");
    expect(tile).toHaveTextContent("Approaching the limit");
    expect(tile).toHaveTextContent("Database I/O reaches 100 % on Nov 27");
    expect(within(tile).getByRole("link")).toHaveAttribute("href", "/usage");
  });

  it("says when nothing was used and no limit is ahead", async () => {
    answerQuery(api.usage.usage.headline, {
      plan: "professional",
      worst: null,
      nextCrossing: null,
      month: MONTH,
      timeZone: "UTC",
    });
    const tile = await usageTile();
    expect(tile).toHaveTextContent("No usage yet");
    expect(tile).toHaveTextContent("No 80 % or 100 % crossing ahead this month at the current rate");
  });
});
