import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { FunctionReturnType } from "convex/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TEST_NOW } from "@/test/clock";
import { api } from "@convex/_generated/api";
import {
  answerQuery,
  callsOf,
  fakeId,
  mutationOf,
  refuseNext,
  resetFakeBackend,
  signInAs,
} from "@/test/fakeConvex";
import { logRow } from "@/test/logFixtures";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

type SearchPage = FunctionReturnType<typeof api.logs.logs.search>;
type Row = SearchPage["rows"][number];
const T = Date.UTC(2026, 11, 3, 11, 0);

const row = (overrides: Partial<Row>) => logRow({ ts: T, ...overrides });

const PAGE: SearchPage = {
  rows: [
    row({
      kind: "console",
      level: "warn",
      message: '{"message":"Slow query detected","dbCalls":64}',
      requestId: "req-slow",
    }),
    row({ level: "error", status: "failure", message: "Task 42 not found", requestId: "req-fail" }),
  ],
  cursor: null,
  scanned: 2,
  budgetHit: false,
  index: "search",
  gaps: [{ deployment: "prod-a", from: T - 20 * 60_000, to: T - 10 * 60_000 }],
};

beforeEach(() => {
  // jsdom lays nothing out, so it has no scrollIntoView; the list calls it to keep the selection in view.
  Element.prototype.scrollIntoView = vi.fn();
  resetFakeBackend();
  signInAs("viewer");
  for (const query of ["", 'message:"Slow query detected"', "level:error"]) {
    answerQuery(api.logs.logs.search, { query, now: TEST_NOW, cursor: null }, PAGE);
  }
  answerQuery(api.logs.logs.requestTimeline, { requestId: "req-fail", deployment: "prod-a" }, [
    PAGE.rows[1]!,
  ]);
  answerQuery(api.logs.savedSearches.list, {}, []);
});

const SLOW = {
  _id: fakeId("logSavedSearches", "s1"),
  name: "Slow queries",
  query: 'message:"Slow query detected"',
};

describe("saved searches", () => {
  it("a link with a saved search's id runs its query; the team's list links each by id", async () => {
    answerQuery(api.logs.savedSearches.list, {}, [{ ...SLOW, savedBy: "operator@example.com", savedAt: T }]);
    answerQuery(api.logs.savedSearches.get, { id: SLOW._id }, SLOW);
    renderApp(`/logs?saved=${SLOW._id}`);
    const list = await screen.findByRole("listbox", { name: "Log results" });
    expect(within(list).getAllByRole("option")).toHaveLength(2);
    expect(screen.getByLabelText("Query")).toHaveValue('message:"Slow query detected"');
    const link = within(screen.getByRole("navigation", { name: "The team's saved searches" })).getByRole(
      "link",
      {
        name: "Slow queries",
      },
    );
    expect(link).toHaveAttribute("href", `/logs?saved=${SLOW._id}`);
    expect(link).toHaveAttribute("aria-current", "page");
    // A viewer opens saved searches but neither saves nor deletes them.
    expect(screen.queryByRole("button", { name: "Save search" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Delete saved search/ })).toBeNull();
  });

  it("a deleted saved search's link says so in place of results", async () => {
    answerQuery(api.logs.savedSearches.get, { id: "gone" }, null);
    renderApp("/logs?saved=gone");
    expect(await screen.findByRole("alert")).toHaveTextContent("This saved search no longer exists");
    expect(callsOf(api.logs.logs.search).filter((args) => args.query !== "")).toEqual([]);
  });

  it("an operator saves the query on screen under a name for the team, and deletes one", async () => {
    signInAs("operator");
    answerQuery(api.logs.savedSearches.list, {}, [{ ...SLOW, savedBy: "operator@example.com", savedAt: T }]);
    renderApp("/logs?q=level%3Aerror");
    await screen.findByRole("listbox", { name: "Log results" });
    const save = screen.getByRole("button", { name: "Save search" });
    expect(save).toBeDisabled();
    await userEvent.type(screen.getByLabelText("Save this search for the team as"), "Errors");
    await userEvent.click(save);
    expect(mutationOf(api.logs.savedSearches.save)).toHaveBeenCalledWith({
      name: "Errors",
      query: "level:error",
    });
    await userEvent.click(screen.getByRole("button", { name: "Delete saved search Slow queries" }));
    expect(mutationOf(api.logs.savedSearches.remove)).toHaveBeenCalledWith({ id: SLOW._id });
  });

  it("a refused save shows the server's sentence in place", async () => {
    signInAs("operator");
    refuseNext(
      mutationOf(api.logs.savedSearches.save),
      "CONFLICT",
      "The team has 100 saved searches, the most it may keep: delete one first.",
    );
    renderApp("/logs?q=level%3Aerror");
    await screen.findByRole("listbox", { name: "Log results" });
    await userEvent.type(screen.getByLabelText("Save this search for the team as"), "Errors");
    await userEvent.click(screen.getByRole("button", { name: "Save search" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The team has 100 saved searches");
  });
});

describe("Logs page", () => {
  it("runs the query in the URL, highlights the words and shows a gap in the stream", async () => {
    renderApp(`/logs?q=${encodeURIComponent('message:"Slow query detected"')}`);
    const list = await screen.findByRole("listbox", { name: "Log results" });
    expect(within(list).getAllByRole("option")).toHaveLength(2);
    expect(
      within(list)
        .getAllByText(/^(Slow|query|detected)$/)
        .map((mark) => mark.tagName),
    ).toEqual(["MARK", "MARK", "MARK"]);
    expect(screen.getByText(/No events received from/)).toBeInTheDocument();
  });

  it("says where and why a query does not parse, and does not send it", async () => {
    renderApp("/logs");
    const input = await screen.findByLabelText("Query");
    await userEvent.type(input, "dbCalls:>lots");
    expect(await screen.findByRole("alert")).toHaveTextContent('Column 10: dbCalls: "lots" is not a number.');
    expect(screen.getByRole("button", { name: "Search" })).toBeDisabled();
  });

  it("keyboard: ↓ selects, Enter opens the timeline, jump to next error moves to the failure", async () => {
    renderApp("/logs?q=level%3Aerror");
    const list = await screen.findByRole("listbox", { name: "Log results" });
    list.focus();
    await userEvent.click(screen.getByRole("button", { name: "Jump to next error" }));
    expect(within(list).getAllByRole("option")[1]).toHaveAttribute("aria-selected", "true");
    list.focus();
    await userEvent.keyboard("{ArrowUp}");
    expect(within(list).getAllByRole("option")[0]).toHaveAttribute("aria-selected", "true");
    list.focus();
    await userEvent.keyboard("{ArrowDown}{Enter}");
    expect(await screen.findByRole("dialog", { name: "Request timeline" })).toBeInTheDocument();
  });
});
