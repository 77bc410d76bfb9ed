import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TEST_MINUTE } from "@/test/clock";
import { api } from "@convex/_generated/api";
import { answerQuery, fakeId, resetFakeBackend } from "@/test/fakeConvex";
import { renderApp, signInAs } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const MIN = 60_000;
const QUERY = 'message:"Slow query detected"';

beforeEach(() => {
  resetFakeBackend();
  signInAs("viewer");
  answerQuery(
    api.alerts.alerts.overview,
    {},
    {
      open: [
        {
          _id: fakeId("alertInstances", "s1"),
          ruleKey: "search-0a1b2c3d4e5f",
          ruleName: `Log search: ${QUERY}`,
          severity: "warning",
          state: "firing",
          since: Date.now() - 2 * MIN,
          firingSince: Date.now() - 2 * MIN,
          deployment: "prod",
          functionPath: null,
          reason: "matching log events 7 > 5",
          acknowledged: null,
          silencedBy: null,
          runbook: { template: "complete-outage", item: "check-logs" },
          logsQuery: QUERY,
        },
      ],
      history: [],
      firing: 1,
    },
  );
  answerQuery(api.alerts.alerts.rules, {}, []);
  answerQuery(api.alerts.alerts.silences, { now: TEST_MINUTE }, []);
  answerQuery(api.alerts.alerts.channels, {}, []);
  answerQuery(api.alerts.alerts.deliveryLog, {}, []);
  answerQuery(
    api.alerts.alerts.policy,
    {},
    {
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
      groupBy: ["rule", "deployment"],
    },
  );
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
