import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { FunctionReturnType } from "convex/server";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { TEST_NOW } from "@/test/clock";
import { answerQuery, mutationOf, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const QUERY = "level:error";
const EMPTY: FunctionReturnType<typeof api.logs.logs.search> = {
  rows: [],
  cursor: null,
  scanned: 0,
  budgetHit: false,
  index: "by_level",
  gaps: [],
};

beforeEach(() => {
  Element.prototype.scrollIntoView = vi.fn();
  resetFakeBackend();
  answerQuery(api.logs.logs.search, { query: QUERY, now: TEST_NOW, cursor: null }, EMPTY);
  answerQuery(api.logs.logs.search, { query: "", now: TEST_NOW, cursor: null }, EMPTY);
});

async function openLogs(query = QUERY) {
  renderApp(`/logs?q=${encodeURIComponent(query)}`);
  await screen.findByRole("heading", { name: "Logs" });
}

describe("Create an alert from this search", () => {
  it("turns the current query into a rule with the count, window and severity the admin chose", async () => {
    signInAs("admin");
    const create = mutationOf(api.alerts.searchRules.createFromSearch);
    create.mockResolvedValue({ key: "search-1", name: `Log search: ${QUERY}` });
    await openLogs();
    const user = userEvent.setup();
    const section = screen.getByRole("region", { name: "Alert from this search" });
    await user.click(within(section).getByRole("button", { name: "Create an alert from this search" }));
    expect(section).toHaveTextContent(`events match ${QUERY} on a deployment within`);
    expect(within(section).getByLabelText("Number of matching events")).toHaveValue(10);
    expect(within(section).getByLabelText("Window in minutes")).toHaveValue(5);
    await user.clear(within(section).getByLabelText("Number of matching events"));
    await user.type(within(section).getByLabelText("Number of matching events"), "25");
    await user.clear(within(section).getByLabelText("Window in minutes"));
    await user.type(within(section).getByLabelText("Window in minutes"), "15");
    await user.selectOptions(within(section).getByLabelText("Severity"), "Critical");
    await user.click(within(section).getByRole("button", { name: "Create alert" }));
    expect(create).toHaveBeenCalledWith({
      query: QUERY,
      threshold: 25,
      windowMinutes: 15,
      severity: "critical",
    });
    const status = await within(section).findByRole("status");
    expect(status).toHaveTextContent(`Created “Log search: ${QUERY}”`);
    expect(within(status).getByRole("link", { name: "See it on Alerts" })).toHaveAttribute("href", "/alerts");
  });

  it("says in words why the server refused it", async () => {
    signInAs("admin");
    mutationOf(api.alerts.searchRules.createFromSearch).mockRejectedValue(
      new ConvexError({
        code: "VALIDATION_ERROR",
        message: "The window is a whole number of minutes from 1 to 60.",
      }),
    );
    await openLogs();
    const user = userEvent.setup();
    const section = screen.getByRole("region", { name: "Alert from this search" });
    await user.click(within(section).getByRole("button", { name: "Create an alert from this search" }));
    await user.click(within(section).getByRole("button", { name: "Create alert" }));
    expect(await within(section).findByRole("alert")).toHaveTextContent(
      "The window is a whole number of minutes from 1 to 60.",
    );
  });

  it("cannot be used without a search, and is not offered to viewers or operators", async () => {
    signInAs("admin");
    await openLogs("");
    expect(screen.getByRole("button", { name: "Create an alert from this search" })).toBeDisabled();
    cleanup();
    resetFakeBackend();
    answerQuery(api.logs.logs.search, { query: QUERY, now: TEST_NOW, cursor: null }, EMPTY);
    signInAs("operator");
    await openLogs();
    expect(
      screen.queryByRole("button", { name: "Create an alert from this search" }),
    ).not.toBeInTheDocument();
  });
});
