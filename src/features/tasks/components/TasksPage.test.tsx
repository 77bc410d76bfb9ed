import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import {
  answerPaginatedQuery,
  answerQuery,
  callsOf,
  fakeBackend,
  fakeId,
  mutationOf,
  resetFakeBackend,
  signInAs,
} from "@/test/fakeConvex";
import type { TasksSearch } from "../search";
import type { TaskRow } from "../Tasks.utils";
import { TasksPage } from "./TasksPage";

/** The client the export pages through the filtered set with. */
const exportClient = { query: vi.fn() };
vi.mock("convex/react", async () => ({
  ...(await import("@/test/fakeConvex")).convexReactModule,
  useConvex: () => exportClient,
}));
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const task = (id: string, text: string, overrides: Partial<TaskRow> = {}): TaskRow => ({
  _id: fakeId("tasks", id),
  _creationTime: 0,
  text,
  completed: false,
  userId: fakeId("users", "u1"),
  priority: "medium",
  createdAt: Date.UTC(2026, 10, 24, 9),
  owner: "ada@example.com",
  ...overrides,
});

beforeEach(() => {
  resetFakeBackend();
  exportClient.query.mockReset();
  signInAs("operator");
  answerQuery(api.tasks.admin.counts, {}, { open: 1200, done: 3, cap: 1000 });
  answerPaginatedQuery(
    api.tasks.admin.list,
    {},
    {
      results: [
        task("t1", "Rotate keys"),
        task("t2", "Renew TLS certificate", { completed: true, priority: "high" }),
        task("t3", "Archive logs"),
      ],
      status: "CanLoadMore",
    },
  );
});

afterEach(() => {
  vi.restoreAllMocks();
});

function renderPage(search: TasksSearch = {}) {
  const onSearchChange = vi.fn<(next: TasksSearch) => void>();
  const view = render(<TasksPage search={search} onSearchChange={onSearchChange} />);
  return { onSearchChange, ...view };
}

describe("Tasks page", () => {
  it("lists the server's page with counts that read as floors once capped", () => {
    renderPage();
    const table = screen.getByRole("table", { name: "Tasks across all users" });
    expect(within(table).getAllByRole("row")).toHaveLength(4);
    expect(within(table).getByText("Renew TLS certificate")).toBeInTheDocument();
    expect(screen.getByText("1,000+")).toBeInTheDocument();
    expect(screen.getByText("3")).toBeInTheDocument();
  });

  it("marks the columns a phone drops, keeping the checkbox, the task and its actions", () => {
    renderPage();
    const table = screen.getByRole("table", { name: "Tasks across all users" });
    const headers = within(table).getAllByRole("columnheader");
    const secondary = headers.filter((header) => header.classList.contains("col-secondary"));
    expect(secondary.map((header) => header.textContent)).toEqual([
      "Priority",
      "Owner",
      expect.stringMatching(/^Created/),
    ]);
    const [, firstRow] = within(table).getAllByRole("row");
    const cells = within(firstRow!).getAllByRole("cell");
    expect(cells.map((cell) => cell.classList.contains("col-secondary"))).toEqual(
      headers.map((header) => header.classList.contains("col-secondary")),
    );
    expect(within(cells[0]!).getByRole("checkbox", { name: "Select “Rotate keys”" })).toBeInTheDocument();
    expect(cells[1]).not.toHaveClass("col-secondary");
    expect(within(cells.at(-1)!).getByRole("button", { name: "Complete “Rotate keys”" })).toBeInTheDocument();
    expect(cells.at(-1)).not.toHaveClass("col-secondary");
  });

  it("passes the URL's filters to the indexed list and the counts", () => {
    const filters = {
      state: "open",
      priority: "high",
      owner: "ada@example.com",
      text: "keys",
      order: "oldest",
    } as const;
    answerPaginatedQuery(api.tasks.admin.list, filters, { results: [], status: "Exhausted" });
    // The counts are split by state, so they take only the other filters.
    answerQuery(
      api.tasks.admin.counts,
      { priority: "high", owner: "ada@example.com" },
      { open: 1, done: 0, cap: 1000 },
    );
    renderPage({ state: "open", priority: "high", owner: "ada@example.com", q: "keys", order: "oldest" });
    expect(fakeBackend.paginatedCalls.at(-1)?.args).toEqual(filters);
    expect(callsOf(api.tasks.admin.counts).at(-1)).toEqual({ priority: "high", owner: "ada@example.com" });
  });

  it("writes filters to the URL: the selects at once, the text fields on Apply", async () => {
    const user = userEvent.setup();
    answerPaginatedQuery(api.tasks.admin.list, { order: "oldest" }, { results: [], status: "Exhausted" });
    const { onSearchChange } = renderPage({ order: "oldest" });
    await user.selectOptions(screen.getByLabelText("State"), "done");
    expect(onSearchChange).toHaveBeenLastCalledWith({ order: "oldest", state: "done" });

    await user.type(screen.getByLabelText("Text"), "  keys ");
    await user.type(screen.getByLabelText("Owner email"), "ada@example.com");
    expect(onSearchChange).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onSearchChange).toHaveBeenLastCalledWith({ order: "oldest", q: "keys", owner: "ada@example.com" });
  });

  it("switches the server's order from the Created header and keeps it in the URL", async () => {
    const user = userEvent.setup();
    const { onSearchChange } = renderPage();
    const header = screen.getByRole("columnheader", { name: /Created/ });
    expect(header).toHaveAttribute("aria-sort", "descending");
    await user.click(within(header).getByRole("button"));
    expect(onSearchChange).toHaveBeenLastCalledWith({ order: "oldest" });
  });

  it("says so when nothing matches the filters", () => {
    answerPaginatedQuery(api.tasks.admin.list, { priority: "low" }, { results: [], status: "Exhausted" });
    answerQuery(api.tasks.admin.counts, { priority: "low" }, { open: 0, done: 0, cap: 1000 });
    renderPage({ priority: "low" });
    expect(screen.getByText("No tasks match these filters.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeDisabled();
  });

  it("says how tasks arrive when there are none yet", () => {
    answerPaginatedQuery(api.tasks.admin.list, {}, { results: [], status: "Exhausted" });
    renderPage();
    expect(screen.getByText(/No tasks yet/)).toHaveTextContent(
      "No tasks yet. Tasks appear here as the app's users create them; for demo tasks, run npm run loadgen -- --email <operator's email> --password <password> while npm start runs.",
    );
  });

  it("shows skeletons while the first page loads", () => {
    answerPaginatedQuery(api.tasks.admin.list, {}, { results: [], status: "LoadingFirstPage" });
    answerQuery(api.tasks.admin.counts, {}, undefined);
    renderPage();
    expect(screen.getByText("Loading the tasks…")).toBeInTheDocument();
    expect(screen.getByText("Counting tasks…")).toBeInTheDocument();
  });

  it("shows a failed load as a sentence in place", () => {
    answerPaginatedQuery(
      api.tasks.admin.list,
      {},
      new ConvexError({ code: "FORBIDDEN", message: "Your role cannot see tasks." }),
    );
    vi.spyOn(console, "error").mockImplementation(() => {});
    renderPage();
    expect(screen.getByText("Could not load the tasks")).toBeInTheDocument();
    expect(screen.getByText(/Your role cannot see tasks\./)).toBeInTheDocument();
  });

  it("exports the whole filtered set, page after page, not only the loaded rows", async () => {
    const user = userEvent.setup();
    exportClient.query.mockImplementation(
      async (_query, args: { paginationOpts: { cursor: string | null } }) =>
        args.paginationOpts.cursor === null
          ? { page: [task("t1", "Rotate keys")], isDone: false, continueCursor: "c1" }
          : {
              page: [task("t9", "Far down the list", { completed: true })],
              isDone: true,
              continueCursor: "",
            },
    );
    const saved: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      saved.push(blob as Blob);
      return "blob:tasks";
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    answerPaginatedQuery(
      api.tasks.admin.list,
      { state: "done", text: "keys" },
      { results: [task("t1", "Rotate keys")], status: "CanLoadMore" },
    );
    renderPage({ state: "done", q: "keys" });
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(exportClient.query.mock.calls.map(([, args]) => args)).toEqual([
      expect.objectContaining({
        state: "done",
        text: "keys",
        paginationOpts: { cursor: null, numItems: 100 },
      }),
      expect.objectContaining({
        state: "done",
        text: "keys",
        paginationOpts: { cursor: "c1", numItems: 100 },
      }),
    ]);
    const csv = await saved[0]!.text();
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(3);
    expect(csv).toContain("t9,Far down the list,done");
  });

  it("loads the next page on request", async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(fakeBackend.loadMore).toHaveBeenCalledWith(50);
  });
});

describe("actions", () => {
  it("completes and reopens one task", async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(screen.getByRole("button", { name: "Complete “Rotate keys”" }));
    expect(mutationOf(api.tasks.admin.setCompleted)).toHaveBeenCalledWith({
      taskIds: ["t1"],
      completed: true,
    });
    await user.click(screen.getByRole("button", { name: "Reopen “Renew TLS certificate”" }));
    expect(mutationOf(api.tasks.admin.setCompleted)).toHaveBeenLastCalledWith({
      taskIds: ["t2"],
      completed: false,
    });
  });

  it("completes the selected tasks in bulk and clears the selection", async () => {
    const user = userEvent.setup();
    mutationOf(api.tasks.admin.setCompleted).mockResolvedValue(2);
    renderPage();
    await user.click(screen.getByRole("checkbox", { name: "Select “Rotate keys”" }));
    await user.click(screen.getByRole("checkbox", { name: "Select “Archive logs”" }));
    const bulk = screen.getByRole("group", { name: "Actions on 2 selected tasks" });
    await user.click(within(bulk).getByRole("button", { name: "Complete selected" }));
    expect(mutationOf(api.tasks.admin.setCompleted)).toHaveBeenCalledWith({
      taskIds: ["t1", "t3"],
      completed: true,
    });
    expect(screen.queryByRole("group", { name: /selected tasks/ })).not.toBeInTheDocument();
  });

  it("changes the priority of the selection", async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(screen.getByRole("checkbox", { name: "Select “Archive logs”" }));
    await user.selectOptions(screen.getByLabelText("Set priority"), "high");
    expect(mutationOf(api.tasks.admin.setPriority)).toHaveBeenCalledWith({
      taskIds: ["t3"],
      priority: "high",
    });
  });

  it("deletes several tasks only after the count is typed", async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(screen.getByRole("checkbox", { name: "Select “Rotate keys”" }));
    await user.click(screen.getByRole("checkbox", { name: "Select “Renew TLS certificate”" }));
    await user.click(screen.getByRole("button", { name: "Delete selected" }));
    const dialog = screen.getByRole("dialog", { name: "Delete 2 tasks" });
    const confirm = within(dialog).getByRole("button", { name: "Delete tasks" });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/to confirm/), "delete 2 task");
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/to confirm/), "s");
    await user.click(confirm);
    expect(mutationOf(api.tasks.admin.remove)).toHaveBeenCalledWith({
      taskIds: ["t1", "t2"],
      confirmation: "delete 2 tasks",
    });
  });

  it("keeps a failed bulk action's reason on screen as a sentence", async () => {
    const user = userEvent.setup();
    mutationOf(api.tasks.admin.setCompleted).mockRejectedValue(
      new ConvexError({ code: "NOT_FOUND", message: "Those tasks no longer exist." }),
    );
    renderPage();
    await user.click(screen.getByRole("checkbox", { name: "Select “Rotate keys”" }));
    await user.click(screen.getByRole("button", { name: "Complete selected" }));
    expect(await screen.findByText(/Those tasks no longer exist\./)).toBeInTheDocument();
    expect(screen.getByRole("group", { name: "Actions on 1 selected tasks" })).toBeInTheDocument();
  });

  it("shows a viewer the tasks and no action controls", () => {
    signInAs("viewer");
    renderPage();
    expect(screen.getByText("Rotate keys")).toBeInTheDocument();
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Complete|Reopen|Delete/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeEnabled();
  });
});
