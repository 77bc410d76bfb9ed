import { api } from "@convex/_generated/api";
import { cleanup, screen, within } from "@testing-library/react";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { answerQuery, callsOf, fakeId, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { LAST_HOUR, lastWindow, TEST_RANGE_END } from "@/test/clock";
import {
  answerOverviewMetrics,
  DEPLOYMENTS,
  errorGroupsAnswer,
  FUNCTION_STATS,
  NOW,
  OVERVIEW,
  TILES,
} from "@/test/metricsFixtures";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);
vi.mock("recharts", async (importOriginal) =>
  (await import("@/test/recharts")).withFixedSizeCharts(await importOriginal<object>()),
);

/** What the page must ask for tall-sheep-123, the first deployment: the hour ending at the next minute. */
const TALL_NOW = { deployment: "tall-sheep-123", now: TEST_RANGE_END };
const TALL_LAST_HOUR = lastWindow("tall-sheep-123", LAST_HOUR);

beforeEach(() => {
  resetFakeBackend();
  signInAs("viewer");
  answerOverviewMetrics();
});

const ERROR_RATE_FIRING = {
  ...TILES,
  error_rate: {
    verdict: "alert" as const,
    rule: { ...TILES.error_rate.rule!, reason: "error rate 3.4 % > 1 % for 5 min" },
  },
};

function tile(label: string) {
  const tiles = screen.getByRole("list", { name: "Health tiles" }).querySelectorAll("li");
  const found = [...tiles].find((item) => item.querySelector(".tile-label")?.textContent === label);
  if (!found) throw new Error(`no tile ${label}`);
  return found;
}

describe("overview", () => {
  it("puts a firing-alerts strip at the top, each opening the alert, and counts them in the tab", async () => {
    answerQuery(
      api.alerts.alerts.overview,
      {},
      {
        open: [
          {
            _id: fakeId("alertInstances", "a1"),
            ruleKey: "error-rate",
            ruleName: "Error rate above 1 %",
            severity: "critical",
            state: "firing",
            since: Date.now() - 60_000,
            firingSince: Date.now() - 60_000,
            deployment: "happy-otter-123",
            functionPath: null,
            reason: "error rate 3.4 % > 1 % for 5 min",
            acknowledged: null,
            silencedBy: null,
            runbook: null,
          },
        ],
        history: [],
        firing: 1,
      },
    );
    renderApp("/");
    const strip = await screen.findByRole("region", { name: "1 alert firing" });
    expect(
      within(strip).getByRole("link", { name: "Error rate above 1 % on happy-otter-123" }),
    ).toHaveAttribute("href", "/alerts?alert=error-rate%2Fhappy-otter-123");
    expect(document.title).toBe("(1 firing) Overview · Convex Ops Console");
  });

  it("shows no strip while nothing fires", async () => {
    answerQuery(api.alerts.alerts.overview, {}, { open: [], history: [], firing: 0 });
    renderApp("/");
    await screen.findByText("Error rate");
    expect(screen.queryByRole("region", { name: /firing/ })).not.toBeInTheDocument();
  });

  it("shows each tile against its rule, in words and not only colour", async () => {
    answerQuery(api.alerts.alerts.tiles, { deployment: "tall-sheep-123" }, ERROR_RATE_FIRING);
    renderApp("/");
    await screen.findByRole("heading", { name: "Last hour" });
    expect(tile("Request rate")).toHaveTextContent("42.5 / min");
    expect(tile("Error rate")).toHaveTextContent("3.40%");
    expect(tile("Error rate")).toHaveTextContent("⚠ Over threshold");
    expect(tile("Error rate")).toHaveTextContent("error rate 3.4 % > 1 % for 5 min");
    expect(tile("p95 latency")).toHaveTextContent("180 ms");
    expect(tile("p95 latency")).toHaveTextContent("✓ Within threshold");
    expect(tile("p95 latency")).toHaveTextContent("alerts above 500 ms for 5 min");
    expect(tile("OCC share of mutations")).toHaveTextContent("✓ Within threshold");
    expect(tile("Slow calls")).toHaveTextContent("17");
    expect(tile("Scheduler lag")).toHaveTextContent("1.5 s");
    expect(tile("Log stream")).toHaveTextContent("alerts above 10 min");
    expect(tile("Log stream").querySelector(".sparkline svg")).not.toBeNull();
  });

  it("shows this period's checklists and flags overdue ones, linking to Runbooks", async () => {
    answerQuery(
      api.runbooks.runbooks.summary,
      { now: TEST_RANGE_END },
      {
        timeZone: "UTC",
        overdueRuns: 2,
        openOnDemand: 1,
        current: [
          {
            templateId: fakeId("runbookTemplates", "t1"),
            title: "Daily maintenance",
            cadence: "daily",
            periodKey: "2026-11-22",
            periodEnd: NOW,
            ticked: 2,
            total: 4,
          },
          {
            templateId: fakeId("runbookTemplates", "t2"),
            title: "Weekly maintenance",
            cadence: "weekly",
            periodKey: "2026-W47",
            periodEnd: NOW,
            ticked: 0,
            total: null,
          },
        ],
      },
    );
    renderApp("/");
    await screen.findByRole("heading", { name: "Last hour" });
    const checklists = tile("Checklists");
    expect(checklists).toHaveTextContent("Daily 2/4");
    expect(checklists).toHaveTextContent("Weekly not started");
    expect(checklists).toHaveTextContent("⚠ Over threshold");
    expect(checklists).toHaveTextContent("2 overdue in recent periods · 1 on-demand open");
    expect(within(checklists).getByRole("link")).toHaveAttribute("href", "/runbooks");
  });

  it("shows the rolling rate of the last five minutes beside the hourly average", async () => {
    renderApp("/");
    await screen.findByRole("heading", { name: "Last hour" });
    expect(tile("Request rate")).toHaveTextContent("97 / min last 5 minutes");
    expect(tile("Request rate")).toHaveTextContent("42.5 / min hourly average");
  });

  it("gives the same last event, by the same clock, in the deployment picker and the Log stream tile", async () => {
    const lastEventAt = Date.now() - 20_000;
    answerQuery(api.metrics.metrics.deployments, {}, [{ ...DEPLOYMENTS[0]!, lastEventAt }, DEPLOYMENTS[1]!]);
    answerQuery(api.metrics.metrics.overview, TALL_NOW, { ...OVERVIEW, lastEventAt });
    renderApp("/");
    await screen.findByRole("heading", { name: "Last hour" });
    const option = screen.getByRole("option", { name: /tall-sheep-123/ });
    const picked = /last event (.+)$/.exec(option.textContent ?? "")?.[1];
    expect(picked).toBe("20 seconds ago");
    expect(tile("Log stream")).toHaveTextContent(`Last event ${picked}`);
  });

  it("never shows a last event in the future, even when the clocks disagree", async () => {
    const ahead = Date.now() + 40_000;
    answerQuery(api.metrics.metrics.deployments, {}, [{ ...DEPLOYMENTS[0]!, lastEventAt: ahead }]);
    answerQuery(api.metrics.metrics.overview, TALL_NOW, { ...OVERVIEW, lastEventAt: ahead });
    renderApp("/");
    await screen.findByRole("heading", { name: "Last hour" });
    expect(screen.getByRole("option", { name: /tall-sheep-123/ })).toHaveTextContent("last event just now");
    expect(tile("Log stream")).toHaveTextContent("Last event just now");
  });

  it("asks for the last hour ending at the next minute", async () => {
    answerOverviewMetrics("happy-cat-456");
    renderApp("/?deployment=happy-cat-456");
    await screen.findByRole("heading", { name: "Last hour" });
    // Answered only for the hour ending at the next minute: any other window stays loading.
    expect(tile("Request rate")).toHaveTextContent("42.5 / min hourly average");
  });

  it("is red exactly when its rule fires: not on the last hour alone, amber while pending", async () => {
    const pending = {
      ...TILES,
      error_rate: {
        verdict: "pending" as const,
        rule: { ...TILES.error_rate.rule!, reason: "error rate 3.4 % > 1 %" },
      },
    };
    // The last hour's error rate (3.4 %) is over the rule's 1 %, but while the rule is Normal: not red.
    for (const [tiles, colour] of [
      [TILES, "tile-ok"],
      [pending, "tile-pending"],
      [ERROR_RATE_FIRING, "tile-alert"],
    ] as const) {
      answerQuery(api.alerts.alerts.tiles, { deployment: "tall-sheep-123" }, tiles);
      renderApp("/");
      await screen.findByRole("heading", { name: "Last hour" });
      expect(tile("Error rate")).toHaveClass(colour);
      expect(tile("Error rate").classList.contains("tile-alert")).toBe(colour === "tile-alert");
      cleanup();
    }
  });

  it("flags a stale log stream when the silent-stream rule fires", async () => {
    answerQuery(api.metrics.metrics.overview, TALL_NOW, { ...OVERVIEW, lastEventAt: NOW - 10 * 60_000 });
    answerQuery(
      api.alerts.alerts.tiles,
      { deployment: "tall-sheep-123" },
      {
        ...TILES,
        stream_silent_min: {
          verdict: "alert",
          rule: { ...TILES.stream_silent_min.rule!, reason: "minutes without an event 11 min > 10 min" },
        },
      },
    );
    renderApp("/");
    await screen.findByRole("heading", { name: "Last hour" });
    expect(tile("Log stream")).toHaveTextContent("⚠ Over threshold");
    expect(tile("Log stream")).toHaveTextContent("minutes without an event 11 min > 10 min");
    expect(tile("Log stream")).toHaveTextContent("10 minutes ago");
  });

  it("marks a deployment stale in the picker", async () => {
    const quietSince = Date.now() - 6 * 60_000;
    answerQuery(api.metrics.metrics.deployments, {}, [
      { ...DEPLOYMENTS[0]!, lastEventAt: quietSince },
      { ...DEPLOYMENTS[1]!, lastEventAt: Date.now() - 60_000 },
    ]);
    answerQuery(api.metrics.metrics.overview, TALL_NOW, { ...OVERVIEW, lastEventAt: quietSince });
    renderApp("/");
    await screen.findByRole("heading", { name: "Last hour" });
    expect(screen.getByRole("option", { name: /tall-sheep-123/ })).toHaveTextContent("6 minutes ago · stale");
    expect(screen.getByRole("option", { name: /happy-cat-456/ })).not.toHaveTextContent("stale");
  });

  it("lists the five slowest functions by p95, each name opening its page and its p95 its slow calls", async () => {
    renderApp("/");
    const table = await screen.findByRole("table", { name: /Top 5 functions by p95/ });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[0]?.textContent)).toEqual([
      "tasks:sync",
      "cron:sweep",
      "tasks:list",
      "tasks:create",
      "users:touch",
    ]);
    expect(within(rows[0]!).getByRole("link", { name: "Slow calls of tasks:sync" })).toHaveAttribute(
      "href",
      "/slow-queries?deployment=tall-sheep-123&view=calls&fn=tasks%3Async",
    );
    expect(within(rows[0]!).getByRole("link", { name: "tasks:sync" })).toHaveAttribute(
      "href",
      "/functions/tall-sheep-123/tasks%3Async",
    );
  });

  it("lists the newest error groups, linking to Errors filtered by code", async () => {
    renderApp("/");
    const section = (await screen.findByRole("heading", { name: /Newest error groups/ })).closest("section")!;
    expect(within(section).getAllByRole("listitem")).toHaveLength(2);
    expect(within(section).getByRole("link", { name: "OCC" })).toHaveAttribute(
      "href",
      "/errors?deployment=tall-sheep-123&errorCode=OCC",
    );
    expect(within(section).getAllByRole("link", { name: /^tasks:/ })[0]).toHaveAttribute(
      "href",
      expect.stringMatching(/^\/functions\/tall-sheep-123\/tasks%3A/),
    );
  });

  it("says when nothing failed and nothing was called", async () => {
    answerQuery(api.metrics.metrics.errorGroups, TALL_LAST_HOUR, errorGroupsAnswer([]));
    answerQuery(api.metrics.metrics.functionStats, TALL_LAST_HOUR, { ...FUNCTION_STATS, functions: [] });
    answerQuery(api.metrics.metrics.overview, TALL_NOW, {
      ...OVERVIEW,
      p95Ms: null,
      schedulerLagSeconds: null,
      series: [],
      schedulerLagSeries: [],
    });
    renderApp("/");
    expect(await screen.findByText("No failures in this range.")).toBeInTheDocument();
    expect(screen.getByText("No function calls in this range.")).toBeInTheDocument();
    expect(tile("p95 latency")).toHaveTextContent("No calls in the last hour");
    expect(tile("Scheduler lag")).toHaveTextContent("No data");
  });

  it("asks for the checklists, backups and usage tiles while the hour's figures still load", async () => {
    answerQuery(api.metrics.metrics.overview, TALL_NOW, undefined);
    renderApp("/");
    expect(await screen.findByText("Loading the health tiles…")).toBeInTheDocument();
    expect(callsOf(api.runbooks.runbooks.summary)).toContainEqual({ now: TEST_RANGE_END });
    expect(callsOf(api.usage.usage.headline)).toContainEqual({ now: TEST_RANGE_END });
    expect(callsOf(api.backups.backups.rpo)).toContainEqual({});
  });

  it("shows skeletons while loading and errors in place", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    answerQuery(api.metrics.metrics.overview, TALL_NOW, undefined);
    answerQuery(
      api.metrics.metrics.errorGroups,
      TALL_LAST_HOUR,
      new ConvexError({ code: "UNAUTHENTICATED", message: "Sign in to continue." }),
    );
    renderApp("/");
    expect(await screen.findByText("Loading the health tiles…")).toBeInTheDocument();
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Could not load error groups");
    expect(alert).toHaveTextContent("UNAUTHENTICATED");
    expect(screen.getByRole("table", { name: /Top 5/ })).toBeInTheDocument();
  });

  it("explains how to connect a log stream instead of showing made-up data", async () => {
    vi.stubEnv("VITE_CONVEX_URL", "http://127.0.0.1:3210");
    answerQuery(api.metrics.metrics.deployments, {}, []);
    renderApp("/");
    expect(await screen.findByRole("heading", { name: "No log stream connected yet" })).toBeInTheDocument();
    expect(screen.getByText("http://127.0.0.1:3211/log-stream")).toBeInTheDocument();
    expect(screen.queryByRole("list", { name: "Health tiles" })).not.toBeInTheDocument();
    vi.unstubAllEnvs();
  });
});
