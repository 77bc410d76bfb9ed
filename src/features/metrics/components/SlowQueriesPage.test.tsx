import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { downloadCsv } from "@/lib/csv";
import { api } from "@convex/_generated/api";
import { LAST_DAY, LAST_HOUR, lastWindow } from "@/test/clock";
import { answerQuery, callsOf, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { DEPLOYMENTS, FUNCTION_STATS, SLOW_CALLS, slowCall, TIMELINE } from "@/test/metricsFixtures";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);
vi.mock("@/lib/csv", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

/** The newest deployment over the default range, the last hour ending at the next minute. */
const LAST_HOUR_ARGS = lastWindow("tall-sheep-123", LAST_HOUR);

beforeEach(() => {
  resetFakeBackend();
  vi.mocked(downloadCsv).mockClear();
  signInAs("viewer");
  answerQuery(api.metrics.metrics.deployments, {}, DEPLOYMENTS);
  answerQuery(api.settings.settings.get, {}, undefined);
  answerQuery(api.metrics.metrics.functionStats, LAST_HOUR_ARGS, FUNCTION_STATS);
  answerQuery(api.metrics.metrics.slowCalls, LAST_HOUR_ARGS, SLOW_CALLS);
  for (const requestId of ["req-c1", "req-c3", "req-old"]) {
    answerQuery(api.metrics.metrics.requestTimeline, { deployment: "tall-sheep-123", requestId }, TIMELINE);
  }
});

const bodyRows = (table: HTMLElement) => within(table).getAllByRole("row").slice(1);
const column = (table: HTMLElement, index: number) =>
  bodyRows(table).map((row) => within(row).getAllByRole("cell")[index]?.textContent);

describe("slow queries: per-function view", () => {
  it("lists functions with percentiles and share of time, for the newest deployment over the last hour", async () => {
    renderApp("/slow-queries");
    const table = await screen.findByRole("table", { name: /Function performance/ });
    expect(column(table, 0)[0]).toContain("tasks:list");
    expect(bodyRows(table)[0]).toHaveTextContent("240 ms");
    expect(bodyRows(table)[0]).toHaveTextContent("60.0%");
    expect(callsOf(api.metrics.metrics.functionStats).at(-1)).toEqual(LAST_HOUR_ARGS);
    expect(screen.getByRole("tab", { name: "By function" })).toHaveAttribute("aria-selected", "true");
  });

  it("writes the function, type and minimum filters to the URL and applies them", async () => {
    const router = renderApp("/slow-queries");
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText("Type"), "mutation");
    expect(router.state.location.search).toMatchObject({ type: "mutation" });
    const table = screen.getByRole("table", { name: /Function performance/ });
    expect(column(table, 0).sort()).toEqual([
      "cron:sweepmutation",
      "tasks:createmutation",
      "users:touchmutation",
    ]);

    await user.type(screen.getByLabelText("Function"), "TASKS");
    await user.type(screen.getByLabelText("Minimum p95 (ms)"), "50");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(router.state.location.search).toMatchObject({ type: "mutation", fn: "TASKS", minMs: 50 });
    expect(column(table, 0)).toEqual(["tasks:createmutation"]);
  });

  it("keeps the sort in the URL", async () => {
    const router = renderApp("/slow-queries?sort=p95Ms.desc");
    const table = await screen.findByRole("table", { name: /Function performance/ });
    expect(within(table).getByRole("columnheader", { name: /p95/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
    expect(column(table, 0)[0]).toContain("tasks:sync");
    await userEvent.setup().click(within(table).getByRole("button", { name: /Calls/ }));
    expect(router.state.location.search).toMatchObject({ sort: "calls.desc" });
  });

  it("warns when the range holds too many functions to read at once", async () => {
    answerQuery(api.metrics.metrics.functionStats, LAST_HOUR_ARGS, { ...FUNCTION_STATS, truncated: true });
    renderApp("/slow-queries");
    expect(await screen.findByText(/Too many functions in this range/)).toBeInTheDocument();
  });
});

describe("slow queries: slow-calls view", () => {
  it("lists slow calls and sorts them by duration", async () => {
    const router = renderApp("/slow-queries?view=calls");
    const table = await screen.findByRole("table", { name: /Slow calls/ });
    expect(column(table, 3)).toEqual(["237 ms", "1.45 s", "610 ms"]);
    expect(bodyRows(table)[0]).toHaveTextContent(`${SLOW_CALLS[0]!.correlationId}`);
    expect(bodyRows(table)[1]).toHaveTextContent("—");

    const durationHeader = within(table).getByRole("columnheader", { name: /Duration/ });
    await userEvent.setup().click(within(durationHeader).getByRole("button"));
    expect(durationHeader).toHaveAttribute("aria-sort", "descending");
    expect(column(table, 3)).toEqual(["1.45 s", "610 ms", "237 ms"]);
    expect(router.state.location.search).toMatchObject({ view: "calls", sort: "durationMs.desc" });
  });

  it("filters by minimum duration and exports what is shown as CSV", async () => {
    renderApp("/slow-queries?view=calls&minMs=500");
    const table = await screen.findByRole("table", { name: /Slow calls/ });
    expect(column(table, 3)).toEqual(["1.45 s", "610 ms"]);
    expect(screen.getByLabelText("Minimum duration (ms)")).toHaveValue(500);
    await userEvent.setup().click(screen.getByRole("button", { name: "Export CSV" }));
    const [filename, csv] = vi.mocked(downloadCsv).mock.calls[0]!;
    expect(filename).toMatch(/^slow-calls-tall-sheep-123-.*\.csv$/);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "time,function,type,duration_ms,db_calls,docs_scanned,read_documents,correlation_id,request_id,status",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(",tasks:sync,action,1450,,,342,,req-c2,success");
  });

  it("opens the correlation timeline of a row in a dialog, with the request id in the URL", async () => {
    const router = renderApp("/slow-queries?view=calls");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Open the timeline of request req-c1" }));
    const dialog = await screen.findByRole("dialog", { name: "Request timeline" });
    expect(router.state.location.search).toMatchObject({ request: "req-c1" });
    expect(within(dialog).getByText("req-c1")).toBeInTheDocument();
    expect(within(dialog).getByRole("list", { name: /2 events/ })).toBeInTheDocument();
    expect(within(dialog).getByText(/Slow query detected/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Close" })).toHaveFocus();

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(router.state.location.search).not.toHaveProperty("request");
  });

  it("opens the timeline when a row is clicked", async () => {
    renderApp("/slow-queries?view=calls");
    const table = await screen.findByRole("table", { name: /Slow calls/ });
    // The row opens the timeline; its function name is a link to the function's page instead.
    expect(within(bodyRows(table)[2]!).getByRole("link", { name: "tasks:create" })).toHaveAttribute(
      "href",
      "/functions/tall-sheep-123/tasks%3Acreate",
    );
    await userEvent.setup().click(within(bodyRows(table)[2]!).getAllByRole("cell")[0]!);
    expect(await screen.findByRole("dialog", { name: "Request timeline" })).toHaveTextContent("req-c3");
  });

  it("says when a request has no stored timeline", async () => {
    answerQuery(
      api.metrics.metrics.requestTimeline,
      { deployment: "tall-sheep-123", requestId: "req-old" },
      [],
    );
    renderApp("/slow-queries?view=calls&request=req-old");
    expect(await screen.findByRole("dialog")).toHaveTextContent(/Nothing stored for this request id/);
  });

  it("renders only the rows in view of a long list", async () => {
    // jsdom has no layout: give the scroll box and the rows a height, as a browser would.
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockReturnValue(34);
    answerQuery(
      api.metrics.metrics.slowCalls,
      LAST_HOUR_ARGS,
      Array.from({ length: 500 }, (_, index) => slowCall(`r${index}`, 100 + index)),
    );
    renderApp("/slow-queries?view=calls");
    const table = await screen.findByRole("table", { name: /Slow calls/ });
    expect(table).toHaveAttribute("aria-rowcount", "501");
    const rendered = within(table).getAllByRole("row").length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
    expect(screen.getByText(/showing the newest 500/)).toBeInTheDocument();
  });

  it("says when nothing was slow and when filters hide everything", async () => {
    answerQuery(api.metrics.metrics.slowCalls, LAST_HOUR_ARGS, []);
    renderApp("/slow-queries?view=calls");
    expect(await screen.findByText("No slow calls in this range.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeDisabled();
  });
});

describe("slow queries: loading, errors and no stream", () => {
  it("shows a skeleton while loading", async () => {
    answerQuery(api.metrics.metrics.functionStats, LAST_HOUR_ARGS, undefined);
    renderApp("/slow-queries");
    expect(await screen.findByText("Loading function statistics…")).toBeInTheDocument();
  });

  it("shows a failing query's code in place and keeps the controls", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    answerQuery(
      api.metrics.metrics.slowCalls,
      LAST_HOUR_ARGS,
      new ConvexError({ code: "VALIDATION_ERROR", message: "The time range can be at most 7 days." }),
    );
    renderApp("/slow-queries?view=calls");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load slow calls");
    expect(alert).toHaveTextContent("VALIDATION_ERROR");
    expect(screen.getByLabelText("Time range")).toBeInTheDocument();
  });

  it("explains how to connect a log stream when no deployment has streamed yet", async () => {
    answerQuery(api.metrics.metrics.deployments, {}, []);
    renderApp("/slow-queries");
    expect(await screen.findByRole("heading", { name: "No log stream connected yet" })).toBeInTheDocument();
    expect(screen.getByText(/Integrations → Log streams/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Settings → Log stream/ })).toHaveAttribute("href", "/settings");
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("in a browser that opened it before, shows the data while the deployment list is still loading", async () => {
    renderApp("/slow-queries");
    await screen.findByRole("table", { name: /Function performance/ });
    cleanup();
    answerQuery(api.metrics.metrics.deployments, {}, undefined);
    renderApp("/slow-queries");
    const table = await screen.findByRole("table", { name: /Function performance/ });
    expect(column(table, 0)[0]).toContain("tasks:list");
    expect(screen.getByLabelText("Deployment")).toHaveAttribute("aria-busy", "true");
    expect(screen.queryByText(/have reached this console/)).not.toBeInTheDocument();
  });

  it("writes the deployment and range to the URL", async () => {
    answerQuery(api.metrics.metrics.functionStats, lastWindow("happy-cat-456", LAST_HOUR), FUNCTION_STATS);
    answerQuery(api.metrics.metrics.functionStats, lastWindow("happy-cat-456", LAST_DAY), FUNCTION_STATS);
    const router = renderApp("/slow-queries");
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText("Deployment"), "happy-cat-456");
    await user.selectOptions(screen.getByLabelText("Time range"), "24h");
    expect(router.state.location.search).toMatchObject({ deployment: "happy-cat-456", range: "24h" });
    expect(callsOf(api.metrics.metrics.functionStats).at(-1)).toEqual(lastWindow("happy-cat-456", LAST_DAY));
  });
});
