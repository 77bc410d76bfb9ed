import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { FunctionReturnType } from "convex/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TEST_NOW } from "@/test/clock";
import { api } from "@convex/_generated/api";
import { answerQuery, resetFakeBackend } from "@/test/fakeConvex";
import { renderApp, signInAs } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

type SearchPage = FunctionReturnType<typeof api.logs.logs.search>;
type Row = SearchPage["rows"][number];
const T = Date.UTC(2026, 11, 3, 11, 0);

function row(overrides: Partial<Row>): Row {
  return {
    _id: `id-${Math.random()}` as Row["_id"],
    _creationTime: T,
    deployment: "prod-a",
    ts: T,
    kind: "execution",
    level: "info",
    functionPath: "tasks:list",
    functionType: "query",
    status: "success",
    code: null,
    requestId: "req-1",
    correlationId: null,
    durationMs: 20,
    dbCalls: null,
    docsScanned: 3,
    docsWritten: 0,
    cached: false,
    message: "",
    ...overrides,
  };
}

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
