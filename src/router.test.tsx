import { createMemoryHistory, RouterProvider } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createAppRouter } from "./router";
import { api } from "@convex/_generated/api";
import {
  answerPaginatedQuery,
  answerQuery,
  callsOf,
  fakeBackend,
  resetFakeBackend,
  signInAs,
} from "./test/fakeConvex";

vi.mock("convex/react", async () => (await import("./test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("./test/fakeConvex")).convexAuthReactModule);

function renderApp(path: string) {
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  render(<RouterProvider router={router} />);
  return router;
}

beforeEach(() => {
  resetFakeBackend();
  answerQuery(api.users.users.list, {}, []);
  answerQuery(api.users.invites.listPending, {}, []);
  answerQuery(api.users.users.bootstrapStatus, {}, { needsFirstAdmin: false });
});

describe("navigation by role", () => {
  it("shows an admin every page, including Users", async () => {
    signInAs("admin");
    renderApp("/");
    const nav = await screen.findByRole("navigation", { name: "Main" });
    const links = within(nav)
      .getAllByRole("link")
      .map((link) => link.textContent);
    expect(links).toEqual([
      "Overview",
      "Slow queries",
      "Errors",
      "Logs",
      "Deploys",
      "Usage",
      "Runbooks",
      "Backups",
      "Imports",
      "Tasks",
      "Alerts",
      "Audit",
      "Settings",
      "Users",
    ]);
  });

  it.each(["operator", "viewer"] as const)("hides Users from an %s", async (role) => {
    signInAs(role);
    renderApp("/");
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Audit" })).toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
  });

  it("tells a non-admin who opens /users that the page needs the admin role", async () => {
    signInAs("operator");
    renderApp("/users");
    expect(await screen.findByText("This page needs the admin role")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows the signed-in email, role and sign out in the header", async () => {
    signInAs("viewer");
    renderApp("/");
    const banner = await screen.findByRole("banner");
    expect(within(banner).getByText("viewer@example.com")).toBeInTheDocument();
    expect(within(banner).getByText("viewer")).toBeInTheDocument();
    expect(within(banner).getByRole("status")).toHaveTextContent("Connected");
    await userEvent.setup().click(within(banner).getByRole("button", { name: "Sign out" }));
    expect(fakeBackend.signOut).toHaveBeenCalled();
  });

  it("shows the sign-in screen, not the shell, when signed out", async () => {
    fakeBackend.auth = { isLoading: false, isAuthenticated: false };
    renderApp("/audit");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.queryByRole("navigation")).not.toBeInTheDocument();
  });
});

describe("opening the app with a stored session", () => {
  beforeEach(() => {
    signInAs("viewer");
    answerPaginatedQuery(api.audit.audit.list, {}, { results: [], status: "Exhausted" });
  });

  it("asks for the page's data while the server checks the token, and shows none of it yet", async () => {
    fakeBackend.auth = { isLoading: true, isAuthenticated: false };
    fakeBackend.storedToken = "stored.jwt.token";
    renderApp("/audit");
    expect(await screen.findByText("Checking your session…")).toBeInTheDocument();
    await waitFor(() => expect(fakeBackend.paginatedCalls.at(-1)?.name).toBe("audit/audit:list"));
    expect(callsOf(api.users.users.me)).not.toHaveLength(0);
    expect(screen.queryByRole("navigation")).not.toBeInTheDocument();
    expect(screen.queryByRole("banner")).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Audit trail" })).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Audit trail", hidden: true })).not.toBeVisible();
  });

  it("shows only the sign-in screen once the server has refused the stored token", async () => {
    fakeBackend.auth = { isLoading: false, isAuthenticated: false };
    fakeBackend.storedToken = null;
    renderApp("/audit");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { hidden: true })).not.toBeInTheDocument();
    expect(fakeBackend.paginatedCalls).toEqual([]);
  });

  it("waits for the stored token before asking for anything when there is none yet", async () => {
    fakeBackend.auth = { isLoading: true, isAuthenticated: false };
    fakeBackend.storedToken = null;
    renderApp("/audit");
    expect(await screen.findByText("Checking your session…")).toBeInTheDocument();
    expect(fakeBackend.paginatedCalls).toEqual([]);
    expect(callsOf(api.users.users.me)).toEqual([]);
  });
});

describe("audit filters in the URL", () => {
  beforeEach(() => {
    signInAs("viewer");
    answerPaginatedQuery(api.audit.audit.list, {}, { results: [], status: "Exhausted" });
  });

  it("reads the filters from the URL and sends them to the backend", async () => {
    const filters = { actor: "ada@example.com", action: "invite.created" } as const;
    answerPaginatedQuery(api.audit.audit.list, filters, { results: [], status: "Exhausted" });
    renderApp("/audit?actor=ada%40example.com&action=invite.created");
    expect(await screen.findByLabelText("Action")).toHaveValue("invite.created");
    expect(screen.getByLabelText("Actor email")).toHaveValue("ada@example.com");
    expect(fakeBackend.paginatedCalls.at(-1)).toEqual({
      name: "audit/audit:list",
      args: filters,
    });
    expect(screen.getByText("No audit entries match these filters.")).toBeInTheDocument();
  });

  it("ignores an unknown action in the URL", async () => {
    renderApp("/audit?action=drop.tables");
    expect(await screen.findByLabelText("Action")).toHaveValue("");
    expect(fakeBackend.paginatedCalls.at(-1)?.args).toEqual({});
  });

  it("writes chosen filters to the URL", async () => {
    const empty = { results: [], status: "Exhausted" as const };
    answerPaginatedQuery(api.audit.audit.list, { action: "user.removed" }, empty);
    answerPaginatedQuery(api.audit.audit.list, { action: "user.removed", actor: "grace@example.com" }, empty);
    const router = renderApp("/audit");
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText("Action"), "user.removed");
    expect(router.state.location.search).toEqual({ action: "user.removed" });
    await user.type(screen.getByLabelText("Actor email"), "grace@example.com");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(router.state.location.search).toEqual({ action: "user.removed", actor: "grace@example.com" });
    expect(fakeBackend.paginatedCalls.at(-1)?.args).toEqual({
      action: "user.removed",
      actor: "grace@example.com",
    });
  });
});
