import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { downloadCsv } from "@/lib/csv";
import { api } from "@convex/_generated/api";
import type { FunctionReturnType } from "convex/server";
import { answerPaginatedQuery, fakeBackend, fakeId, resetFakeBackend } from "@/test/fakeConvex";
import { AuditPage } from "./AuditPage";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@/lib/csv", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

const AT = Date.UTC(2026, 2, 4, 14, 5, 9);
const ROWS: FunctionReturnType<typeof api.audit.audit.list>["page"] = [
  {
    _id: fakeId("audit", "a2"),
    _creationTime: AT,
    actorEmail: "ada@example.com",
    action: "user.role_changed",
    target: "bob@example.com",
    targetName: "bob@example.com",
    details: { from: "viewer", to: "operator" },
    at: AT,
  },
  {
    _id: fakeId("audit", "a1"),
    _creationTime: AT - 1000,
    actorEmail: "ada@example.com",
    action: "invite.created",
    target: "bob@example.com",
    targetName: "bob@example.com",
    at: AT - 1000,
  },
];

beforeEach(() => {
  resetFakeBackend();
  vi.mocked(downloadCsv).mockClear();
});

function renderAudit() {
  const onFiltersChange = vi.fn();
  render(<AuditPage filters={{}} onFiltersChange={onFiltersChange} />);
  return onFiltersChange;
}

describe("audit page", () => {
  it("shows a skeleton while the first page loads", () => {
    renderAudit();
    expect(screen.getByText("Loading the audit trail…")).toBeInTheDocument();
  });

  it("lists entries with their details and loads more on request", async () => {
    answerPaginatedQuery(api.audit.audit.list, {}, { results: ROWS, status: "CanLoadMore" });
    renderAudit();
    const table = screen.getByRole("table", { name: /Audit trail/ });
    const firstRow = within(table).getAllByRole("row")[1]!;
    expect(firstRow).toHaveTextContent("User role changed");
    expect(firstRow).toHaveTextContent("from:viewer");
    expect(within(firstRow).getByRole("time")).toHaveAttribute("dateTime", new Date(AT).toISOString());
    await userEvent.setup().click(screen.getByRole("button", { name: "Load more" }));
    expect(fakeBackend.loadMore).toHaveBeenCalledWith(50);
  });

  it("names targets and leaves out raw ids and empty values", () => {
    const taskId = "kd7f2k9q8x1m3n4p5r6s7t8v9w0y1z2a";
    const runId = "jd7f2k9q8x1m3n4p5r6s7t8v9w0y1z2b";
    answerPaginatedQuery(
      api.audit.audit.list,
      {},
      {
        results: [
          {
            _id: fakeId("audit", "a3"),
            _creationTime: AT,
            actorEmail: "ada@example.com",
            action: "task.created",
            target: taskId,
            targetName: "Rotate keys",
            details: { priority: "high", correlationId: null },
            at: AT,
          },
          {
            _id: fakeId("audit", "a4"),
            _creationTime: AT,
            actorEmail: "ada@example.com",
            action: "runbook.item_ticked",
            target: "Daily maintenance: Check error rates",
            targetName: "Daily maintenance: Check error rates",
            details: { runId, item: "check-error-rates", note: null },
            at: AT,
          },
        ],
        status: "Exhausted",
      },
    );
    renderAudit();
    const table = screen.getByRole("table", { name: /Audit trail/ });
    expect(table).toHaveTextContent("Rotate keys");
    expect(table).toHaveTextContent("Task created");
    expect(table).not.toHaveTextContent(taskId);
    expect(table).not.toHaveTextContent(runId);
    expect(table).not.toHaveTextContent("null");
  });

  it("exports the loaded rows as CSV", async () => {
    answerPaginatedQuery(api.audit.audit.list, {}, { results: ROWS, status: "Exhausted" });
    renderAudit();
    await userEvent.setup().click(screen.getByRole("button", { name: "Export CSV" }));
    const [filename, csv] = vi.mocked(downloadCsv).mock.calls[0]!;
    expect(filename).toMatch(/^audit-.*\.csv$/);
    expect(csv.split("\r\n")).toEqual([
      "time,actor,action,target,details",
      `${new Date(AT).toISOString()},ada@example.com,user.role_changed,bob@example.com,"{""from"":""viewer"",""to"":""operator""}"`,
      `${new Date(AT - 1000).toISOString()},ada@example.com,invite.created,bob@example.com,`,
      "",
    ]);
  });

  it("says when the trail is empty", () => {
    answerPaginatedQuery(api.audit.audit.list, {}, { results: [], status: "Exhausted" });
    renderAudit();
    expect(screen.getByText(/No audit entries yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeDisabled();
  });

  it("shows a failure in place with its code", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    answerPaginatedQuery(
      api.audit.audit.list,
      {},
      new ConvexError({ code: "UNAUTHENTICATED", message: "Sign in to continue." }),
    );
    renderAudit();
    expect(screen.getByRole("heading", { name: "Audit trail" })).toBeInTheDocument();
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("UNAUTHENTICATED");
    expect(alert).toHaveTextContent("Sign in to continue.");
  });

  it("applies the action filter as soon as it is chosen", async () => {
    answerPaginatedQuery(api.audit.audit.list, {}, { results: [], status: "Exhausted" });
    const onFiltersChange = renderAudit();
    await userEvent.setup().selectOptions(screen.getByLabelText("Action"), "invite.revoked");
    expect(onFiltersChange).toHaveBeenCalledWith({ action: "invite.revoked" });
  });
});
