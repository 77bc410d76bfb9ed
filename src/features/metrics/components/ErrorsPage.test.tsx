import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { LAST_DAY, LAST_HOUR, lastWindow } from "@/test/clock";
import { answerQuery, callsOf, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import {
  DEPLOYMENTS,
  ERROR_GROUP_CALLS,
  ERROR_GROUP_ROWS,
  ERROR_SERIES,
  errorGroupsAnswer,
  FUNCTION_STATS,
  TIMELINE,
} from "@/test/metricsFixtures";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);
vi.mock("recharts", async (importOriginal) =>
  (await import("@/test/recharts")).withFixedSizeCharts(await importOriginal<object>()),
);

/** The first deployment over the default range, the last hour ending at the next minute. */
const LAST_HOUR_ARGS = lastWindow("tall-sheep-123", LAST_HOUR);
const LAST_DAY_ARGS = lastWindow("tall-sheep-123", LAST_DAY);

/** Answers the page's range queries for one window, the error groups for each code filter too. */
function answerWindow(window: typeof LAST_HOUR_ARGS) {
  answerQuery(api.metrics.metrics.errorSeries, window, ERROR_SERIES);
  answerQuery(api.metrics.metrics.functionStats, window, FUNCTION_STATS);
  answerQuery(api.metrics.deploys.markers, window, []);
  answerQuery(api.metrics.metrics.errorGroups, window, errorGroupsAnswer(ERROR_GROUP_ROWS));
  for (const code of ["OCC", "VALIDATION_ERROR", "TIMEOUT"]) {
    const rows = ERROR_GROUP_ROWS.filter((group) => group.code === code);
    answerQuery(api.metrics.metrics.errorGroups, { ...window, code }, errorGroupsAnswer(rows));
  }
}

beforeEach(() => {
  resetFakeBackend();
  signInAs("viewer");
  answerQuery(api.metrics.metrics.deployments, {}, DEPLOYMENTS);
  answerWindow(LAST_HOUR_ARGS);
  answerQuery(api.metrics.metrics.errorGroupCalls, { ...LAST_HOUR_ARGS, group: "g1" }, ERROR_GROUP_CALLS);
  for (const requestId of ["req-occ", "req-occ-older"]) {
    answerQuery(api.metrics.metrics.requestTimeline, { deployment: "tall-sheep-123", requestId }, TIMELINE);
  }
});

describe("errors page", () => {
  it("charts the error rate stacked by code, with a text summary and the data as a table", async () => {
    const { container } = await renderErrors("/errors");
    expect(
      screen.getByText(/30 failures in 200 calls last hour \(15\.0%\): OCC 25, VALIDATION_ERROR 5\./),
    ).toBeInTheDocument();
    // One bar series per code, 60 minute buckets each (empty ones as zero).
    expect(container.querySelectorAll(".recharts-bar")).toHaveLength(2);
    expect(screen.getByText("OCC", { selector: ".recharts-legend-item-text" })).toBeInTheDocument();
    const data = screen.getByRole("table", { name: /Failures per minute by error code/ });
    expect(within(data).getAllByRole("row")).toHaveLength(3);
    expect(
      within(data)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual(["Time", "Calls", "OCC", "VALIDATION_ERROR"]);
  });

  it("lists failures by function, most first", async () => {
    await renderErrors("/errors");
    const table = screen.getByRole("table", { name: /Failures by function/ });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[0]?.textContent)).toEqual([
      "tasks:create mutation",
      "tasks:sync action",
    ]);
    expect(rows[0]).toHaveTextContent("85.7%");
  });

  it("lists error groups with counts, first and last seen, opening their failing calls and the last request", async () => {
    const router = await renderErrors("/errors");
    const table = screen.getByRole("table", { name: /Error groups/ });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("25");
    expect(rows[0]).toHaveTextContent("OCC");
    expect(rows[0]).toHaveTextContent('the "tasks" table changed');
    expect(within(rows[0]!).getAllByRole("time")).toHaveLength(2);
    expect(within(rows[0]!).queryByRole("link", { name: /Slow calls/ })).not.toBeInTheDocument();
    await userEvent
      .setup()
      .click(
        within(rows[0]!).getByRole("button", { name: "Open the timeline of the last OCC in tasks:create" }),
      );
    expect(await screen.findByRole("dialog", { name: "Request timeline" })).toHaveTextContent("req-occ");
    expect(router.state.location.search).toMatchObject({ request: "req-occ" });
  });

  it("leads from an error group to that group's failing calls, and from a call to its timeline", async () => {
    const router = await renderErrors("/errors");
    const user = userEvent.setup();
    const row = within(screen.getByRole("table", { name: /Error groups/ })).getAllByRole("row")[1]!;
    await user.click(within(row).getByRole("button", { name: "Failing calls of OCC in tasks:create" }));
    const drawer = await screen.findByRole("dialog", { name: /Failing calls/ });
    expect(router.state.location.search).toMatchObject({ group: "g1" });
    expect(callsOf(api.metrics.metrics.errorGroupCalls).at(-1)).toEqual({ ...LAST_HOUR_ARGS, group: "g1" });
    expect(within(drawer).getAllByRole("button", { name: /Open the timeline of request/ })).toHaveLength(2);
    await user.click(
      within(drawer).getByRole("button", { name: "Open the timeline of request req-occ-older" }),
    );
    expect(await screen.findByRole("dialog", { name: "Request timeline" })).toHaveTextContent(
      "req-occ-older",
    );
    expect(router.state.location.search).toMatchObject({ group: "g1", request: "req-occ-older" });
  });

  it("says when the error-group list is cut short", async () => {
    answerQuery(api.metrics.metrics.errorGroups, LAST_HOUR_ARGS, errorGroupsAnswer(ERROR_GROUP_ROWS, true));
    await renderErrors("/errors");
    expect(screen.getByText(/more error groups than one page shows/i)).toBeInTheDocument();
  });

  it("filters by error code through the URL, under a name the sign-in library does not read", async () => {
    const router = await renderErrors("/errors");
    await userEvent.setup().selectOptions(screen.getByLabelText("Error code"), "VALIDATION_ERROR");
    expect(router.state.location.search).toMatchObject({ errorCode: "VALIDATION_ERROR" });
    expect(router.state.location.href).toContain("errorCode=VALIDATION_ERROR");
    expect(new URLSearchParams(router.state.location.searchStr).has("code")).toBe(false);
    expect(callsOf(api.metrics.metrics.errorGroups).at(-1)).toEqual({
      ...LAST_HOUR_ARGS,
      code: "VALIDATION_ERROR",
    });
    expect(within(screen.getByRole("table", { name: /Error groups/ })).getAllByRole("row")).toHaveLength(2);
    expect(
      screen.getByRole("heading", { name: /Error rate over time · VALIDATION_ERROR/ }),
    ).toBeInTheDocument();
    expect(screen.getByText(/^5 VALIDATION_ERROR failures/)).toBeInTheDocument();
  });

  it("counts failures by function for the selected code only", async () => {
    await renderErrors("/errors?errorCode=TIMEOUT");
    const table = screen.getByRole("table", { name: /Failures by function/ });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[0]?.textContent)).toEqual([
      "tasks:sync action",
    ]);
    expect(within(rows[0]!).getAllByRole("cell")[1]).toHaveTextContent("5");
  });

  it("says so when nothing failed, without an empty chart", async () => {
    answerWindow(LAST_DAY_ARGS);
    answerQuery(api.metrics.metrics.errorSeries, LAST_DAY_ARGS, { ...ERROR_SERIES, points: [] });
    answerQuery(api.metrics.metrics.errorGroups, LAST_DAY_ARGS, errorGroupsAnswer([]));
    answerQuery(api.metrics.metrics.functionStats, LAST_DAY_ARGS, { ...FUNCTION_STATS, functions: [] });
    const { container } = await renderErrors("/errors?range=24h");
    expect(screen.getByText("No calls last 24 hours.")).toBeInTheDocument();
    expect(container.querySelector(".recharts-wrapper")).toBeNull();
    expect(screen.getByText("No function failed last 24 hours.")).toBeInTheDocument();
    expect(screen.getByText("No failures last 24 hours.")).toBeInTheDocument();
  });

  it("shows loading and failing parts in place", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    answerQuery(api.metrics.metrics.errorSeries, LAST_HOUR_ARGS, undefined);
    answerQuery(
      api.metrics.metrics.errorGroups,
      LAST_HOUR_ARGS,
      new ConvexError({ code: "UNAUTHORIZED", message: "Not allowed." }),
    );
    renderApp("/errors");
    expect(await screen.findByText("Loading the error chart…")).toBeInTheDocument();
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Could not load error groups");
    expect(alert).toHaveTextContent("UNAUTHORIZED");
  });
});

async function renderErrors(path: string) {
  const router = renderApp(path);
  await screen.findByRole("heading", { name: /Error rate over time/ });
  return Object.assign(router, { container: document.body });
}
