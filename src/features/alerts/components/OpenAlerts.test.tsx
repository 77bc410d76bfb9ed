import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeId, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { renderApp } from "@/test/renderApp";
import { answerAlertsPage, openAlert } from "./alertsPage.fixtures";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const MIN = 60_000;
const QUERY = 'message:"Slow query detected"';

beforeEach(() => {
  resetFakeBackend();
  signInAs("viewer");
  answerAlertsPage([
    openAlert({
      _id: fakeId("alertInstances", "s1"),
      ruleKey: "search-0a1b2c3d4e5f",
      ruleName: `Log search: ${QUERY}`,
      severity: "warning",
      since: Date.now() - 2 * MIN,
      firingSince: Date.now() - 2 * MIN,
      reason: "matching log events 7 > 5",
      logsQuery: QUERY,
    }),
  ]);
});

describe("an alert made from a Logs search", () => {
  it("links back to Logs with its search, on the deployment it fired on", async () => {
    renderApp("/alerts");
    const list = await screen.findByRole("list", { name: "Open alerts" });
    const link = within(list).getByRole("link", { name: "Matching events in Logs" });
    const target = new URL(link.getAttribute("href")!, "http://console.test");
    expect(target.pathname).toBe("/logs");
    expect(target.searchParams.get("q")).toBe(`(${QUERY}) deployment:"prod"`);
  });
});
