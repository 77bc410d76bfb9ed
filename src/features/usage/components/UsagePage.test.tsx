import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { PLAN_CATALOG, USAGE_METRICS, type UsageMetric } from "@convex/usage/shared";
import { answerQuery, callsOf, mutationOf, refuseNext, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { answerOverviewMetrics, TILES } from "@/test/metricsFixtures";
import { TEST_MINUTE, TEST_RANGE_END } from "@/test/clock";
import { renderApp } from "@/test/renderApp";
import type { ConvexFigures, MetricSummary, TopFunctions, UsageSummary } from "../Usage.utils";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);
vi.mock("recharts", async (importOriginal) =>
  (await import("@/test/recharts")).withFixedSizeCharts(await importOriginal<object>()),
);

const DAY = 24 * 60 * 60 * 1000;
const NOV_1 = Date.UTC(2026, 10, 1);
const NOV_2 = NOV_1 + DAY;

function flow(metric: UsageMetric, value: number, extra: Partial<MetricSummary> = {}): MetricSummary {
  const included = PLAN_CATALOG.professional.limits[metric];
  const share = value / included;
  return {
    metric,
    included,
    value,
    share,
    state: share >= 1 ? "Exceeded" : share >= 0.8 ? "Approaching" : "Default",
    byDeployment: [
      { deployment: "tall-sheep-123", value: value * 0.75 },
      { deployment: "quiet-fox-456", value: value * 0.25 },
    ],
    forecast: {
      method: "run-rate",
      projectedMonthEnd: value * 15,
      at80: null,
      at100: null,
      daysOfData: 2,
      lowConfidence: true,
    },
    seriesKeys: ["quiet-fox-456", "tall-sheep-123"],
    daily: [
      { day: "2026-11-01", dayStart: NOV_1, values: [value * 0.125, value * 0.375] },
      { day: "2026-11-02", dayStart: NOV_2, values: [value * 0.125, value * 0.375] },
    ],
    ...extra,
  };
}

const notReported = (metric: UsageMetric): MetricSummary => ({
  metric,
  included: PLAN_CATALOG.professional.limits[metric],
  value: null,
  share: null,
  state: null,
  byDeployment: [],
  forecast: null,
  seriesKeys: ["quiet-fox-456", "tall-sheep-123"],
  daily: [],
});

const METRICS: Record<UsageMetric, MetricSummary> = {
  functionCalls: flow("functionCalls", 21_000_000, {
    forecast: {
      method: "run-rate",
      projectedMonthEnd: 315_000_000,
      at80: { at: NOV_2, alreadyReached: true },
      at100: { at: Date.UTC(2026, 10, 3, 9), alreadyReached: false },
      daysOfData: 2,
      lowConfidence: true,
    },
  }),
  actionCompute: flow("actionCompute", 10),
  databaseIo: flow("databaseIo", 60, {
    seriesKeys: [
      "quiet-fox-456 · reads",
      "quiet-fox-456 · writes",
      "tall-sheep-123 · reads",
      "tall-sheep-123 · writes",
    ],
    daily: [{ day: "2026-11-01", dayStart: NOV_1, values: [5, 10, 15, 30] }],
  }),
  dataEgress: flow("dataEgress", 1),
  searchQueries: flow("searchQueries", 0),
  databaseStorage: notReported("databaseStorage"),
  fileStorage: notReported("fileStorage"),
  searchStorage: notReported("searchStorage"),
};

const SUMMARY: UsageSummary = {
  deployments: ["quiet-fox-456", "tall-sheep-123"],
  metrics: USAGE_METRICS.map((metric) => METRICS[metric]),
  storageReportedAt: null,
  storageByKind: null,
  worst: { metric: "databaseIo", state: "Exceeded", share: 1.2 },
  nextCrossing: { metric: "functionCalls", threshold: 1, at: Date.UTC(2026, 10, 3, 9) },
  plan: {
    plan: "professional",
    customLimits: null,
    limits: PLAN_CATALOG.professional.limits,
    chosen: true,
    updatedAt: NOV_1,
    updatedBy: "admin@example.com",
  },
  timeZone: "UTC",
  month: { key: "2026-11", start: NOV_1, end: Date.UTC(2026, 11, 1) },
  truncated: false,
};

const TOP: TopFunctions = {
  calls: [
    { deployment: "tall-sheep-123", functionPath: "messages:list", value: 15_000_000 },
    { deployment: "quiet-fox-456", functionPath: "messages:send", value: 6_000_000 },
  ],
  databaseIo: [{ deployment: "tall-sheep-123", functionPath: "messages:send", value: 40 }],
  actionCompute: [],
  dataEgress: [],
  truncated: false,
};

const FIGURES: ConvexFigures = {
  connected: "tall-sheep-123",
  figures: {
    fetchedAt: NOV_2,
    state: "ok",
    problem: null,
    seedStatus: "complete",
    watched: true,
    rows: [
      {
        metric: "functionCalls",
        ours: 15_750_000,
        convexMonth: 15_740_000,
        convexDay: 900_000,
        difference: 10_000,
      },
    ],
  },
};

/** The page asks for the month to date as of the current minute. */
const THIS_MINUTE = { now: TEST_MINUTE };

beforeEach(() => {
  resetFakeBackend();
  signInAs("viewer");
  answerQuery(api.usage.usage.summary, THIS_MINUTE, SUMMARY);
  answerQuery(api.usage.usage.topFunctions, THIS_MINUTE, TOP);
  answerQuery(api.usage.usage.convexFigures, THIS_MINUTE, FIGURES);
  answerQuery(api.alerts.alerts.consoleTiles, {}, CONSOLE_TILES);
});

const CONSOLE_TILES = { usage_share: TILES.usage_share, backup_age_share: TILES.backup_age_share };

async function renderUsage(path = "/usage") {
  const router = renderApp(path);
  await screen.findByRole("heading", { name: "Month to date" });
  return router;
}

function tile(name: string) {
  return within(screen.getByRole("list", { name: "Usage against the plan" })).getByRole("listitem", {
    name,
  });
}

describe("usage page", () => {
  it("shows each metric's month to date against the plan with its state and forecast", async () => {
    await renderUsage();
    const calls = tile("Function calls");
    expect(calls).toHaveTextContent("21,000,000 calls");
    expect(calls).toHaveTextContent("of 25,000,000 calls included");
    expect(calls).toHaveTextContent("Approaching the limit");
    expect(calls).toHaveTextContent("80 %: reached Nov 2 · 100 %: Nov 3");
    expect(calls).toHaveTextContent("low confidence: 2 days of data");
    expect(calls).toHaveTextContent("tall-sheep-123 75.0%");
    expect(tile("Database I/O")).toHaveTextContent("Limit exceeded");
    expect(tile("Action compute")).toHaveTextContent("Within plan");
    expect(screen.getByText(/Function calls reaches 100 % on Nov 3/)).toBeInTheDocument();
  });

  it("leads with an exceeded metric, and says the same percentage, sentence and alert verdict as the Overview tile", async () => {
    const included = PLAN_CATALOG.professional.limits.databaseIo;
    const exceeded: UsageSummary = {
      ...SUMMARY,
      metrics: USAGE_METRICS.map((metric) =>
        metric === "databaseIo" ? flow("databaseIo", included * 1.474) : METRICS[metric],
      ),
      worst: { metric: "databaseIo", state: "Exceeded", share: 1.474 },
      nextCrossing: null,
    };
    const firing = {
      verdict: "alert" as const,
      rule: { ...TILES.usage_share.rule!, reason: "plan used 147.4 % > 80 %" },
    };
    answerQuery(api.usage.usage.summary, THIS_MINUTE, exceeded);
    answerQuery(api.alerts.alerts.consoleTiles, {}, { ...CONSOLE_TILES, usage_share: firing });
    await renderUsage();
    const sentence = "Database I/O is past its limit at 147.4% of the included amount";
    expect(screen.getByText(new RegExp(sentence))).toBeInTheDocument();
    expect(screen.queryByText(/No 80 % or 100 % crossing ahead/)).not.toBeInTheDocument();
    expect(tile("Database I/O")).toHaveTextContent("147.4%");
    expect(tile("Database I/O")).toHaveTextContent("Limit exceeded");
    const standing = await screen.findByLabelText("Usage alert");
    expect(standing).toHaveAttribute("data-verdict", "alert");
    expect(standing).toHaveTextContent(
      "⚠ Over threshold Usage at 80 % of the plan: plan used 147.4 % > 80 %",
    );
    cleanup();

    answerOverviewMetrics();
    answerQuery(api.alerts.alerts.tiles, { deployment: "tall-sheep-123" }, { ...TILES, usage_share: firing });
    answerQuery(
      api.usage.usage.headline,
      { now: TEST_RANGE_END },
      {
        plan: "professional",
        worst: { ...exceeded.worst!, included },
        nextCrossing: exceeded.nextCrossing,
        month: exceeded.month,
        timeZone: exceeded.timeZone,
      },
    );
    renderApp("/");
    const overviewTile = within(await screen.findByRole("list", { name: "Health tiles" })).getByRole(
      "listitem",
      { name: "Usage this month" },
    );
    expect(overviewTile).toHaveTextContent("Database I/O 147.4%");
    expect(overviewTile).toHaveTextContent(sentence);
    expect(overviewTile).toHaveAttribute("data-verdict", "alert");
    expect(overviewTile).toHaveTextContent("⚠ Over threshold plan used 147.4 % > 80 %");
  });

  it("says storage was not reported instead of showing zero", async () => {
    await renderUsage();
    const storage = tile("Database storage");
    expect(storage).toHaveTextContent(/self-hosted deployments do not send it/);
    expect(storage).not.toHaveTextContent("0 GB");
    expect(screen.getByRole("region", { name: "Storage by kind" })).toHaveTextContent(
      /shown as unknown rather than zero/,
    );
  });

  it("lists storage by kind from the latest reports", async () => {
    answerQuery(api.usage.usage.summary, THIS_MINUTE, {
      ...SUMMARY,
      storageReportedAt: NOV_2,
      storageByKind: {
        documentBytes: 2 ** 30,
        indexBytes: 2 ** 29,
        fileBytes: 0,
        backupBytes: 0,
        vectorBytes: 0,
        textBytes: 0,
      },
    });
    await renderUsage();
    const table = screen.getByRole("table", { name: "Storage by kind" });
    const indexes = within(table).getByRole("row", { name: /Indexes/ });
    expect(indexes).toHaveTextContent("0.5 GB");
    expect(within(table).getByRole("row", { name: /Tables/ })).toHaveTextContent("1 GB");
  });

  it("keeps the charted metric in the URL and splits database I/O into reads and writes", async () => {
    const router = await renderUsage("/usage?chart=databaseIo");
    const data = screen.getByRole("table", { name: /Database I\/O per day by deployment/ });
    expect(
      within(data)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual([
      "Day",
      "quiet-fox-456 · reads",
      "quiet-fox-456 · writes",
      "tall-sheep-123 · reads",
      "tall-sheep-123 · writes",
    ]);
    await userEvent.setup().selectOptions(screen.getByLabelText("Metric"), "Function calls");
    expect(router.state.location.search).toEqual({});
    expect(screen.getByRole("table", { name: /Function calls per day by deployment/ })).toBeInTheDocument();
  });

  it("names the top consumers by function for each measure", async () => {
    await renderUsage();
    const calls = screen.getByRole("table", { name: "Top functions by function calls" });
    const rows = within(calls).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "messages:list tall-sheep-12315,000,000",
      "messages:send quiet-fox-4566,000,000",
    ]);
    expect(screen.getByRole("heading", { name: "Action compute", level: 3 }).parentElement).toHaveTextContent(
      "None this month.",
    );
  });

  it("puts Convex's own figures beside ours with the difference", async () => {
    await renderUsage();
    const table = screen.getByRole("table", { name: /Our figures beside Convex's/ });
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent(
      "Function calls15,750,000 calls15,740,000 calls900,000 calls10,000 calls more than Convex counts",
    );
  });

  it("shows the plan to a viewer without the picker", async () => {
    await renderUsage();
    expect(screen.getByRole("heading", { name: "Plan: Professional" })).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Team plan" })).not.toBeInTheDocument();
  });

  it("lets an admin switch the plan, and says in words when that fails", async () => {
    signInAs("admin");
    const setPlan = mutationOf(api.usage.usage.setPlan);
    await renderUsage();
    const user = userEvent.setup();
    const form = screen.getByRole("form", { name: "Team plan" });
    await user.selectOptions(within(form).getByLabelText("Team plan"), "Free");
    await user.click(within(form).getByRole("button", { name: "Save plan" }));
    expect(setPlan).toHaveBeenCalledWith({ plan: "free" });
    expect(await within(form).findByRole("status")).toHaveTextContent(/Plan saved/);

    refuseNext(setPlan, "VALIDATION_ERROR", "Custom limits must be positive.");
    await user.selectOptions(within(form).getByLabelText("Team plan"), "Custom limits");
    await user.click(within(form).getByRole("button", { name: "Save plan" }));
    expect(setPlan).toHaveBeenLastCalledWith({
      plan: "custom",
      customLimits: PLAN_CATALOG.professional.limits,
    });
    expect(await within(form).findByText("Custom limits must be positive.")).toBeInTheDocument();
  });

  it("asks for the top consumers, Convex's figures and the usage alert while the summary still loads", async () => {
    answerQuery(api.usage.usage.summary, THIS_MINUTE, undefined);
    renderApp("/usage");
    expect(await screen.findByText("Loading usage…")).toBeInTheDocument();
    expect(callsOf(api.usage.usage.topFunctions)).toContainEqual(THIS_MINUTE);
    expect(callsOf(api.usage.usage.convexFigures)).toContainEqual(THIS_MINUTE);
    expect(callsOf(api.alerts.alerts.consoleTiles)).toContainEqual({});
    expect(screen.getByRole("table", { name: "Top functions by function calls" })).toBeInTheDocument();
  });

  it("shows a skeleton while loading and an error as a sentence", async () => {
    answerQuery(api.usage.usage.summary, THIS_MINUTE, undefined);
    renderApp("/usage");
    expect(await screen.findByText("Loading usage…")).toBeInTheDocument();
    resetFakeBackend();
    signInAs("viewer");
    answerQuery(
      api.usage.usage.summary,
      THIS_MINUTE,
      new ConvexError({ code: "VALIDATION_ERROR", message: "The time must be a positive instant." }),
    );
    vi.spyOn(console, "error").mockImplementation(() => {});
    renderApp("/usage");
    expect(await screen.findByText("The time must be a positive instant.")).toBeInTheDocument();
  });
});
