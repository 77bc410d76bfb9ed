import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@convex/lib/shared";
import { api } from "@convex/_generated/api";
import { TEST_MINUTE } from "@/test/clock";
import { answerQuery, fakeId, mutationOf, resetFakeBackend } from "@/test/fakeConvex";
import { RunbooksPage } from "./RunbooksPage";
import type { Board, History, Run, RunItem, TemplateSummary } from "../types";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const NOW = Date.now();
const DAY = 24 * 3_600_000;

function item(key: string, text: string, extra: Partial<RunItem> = {}): RunItem {
  return { key, text, help: null, link: null, evidence: null, tick: null, ...extra };
}

function tick(byEmail: string, note: string | null = null): NonNullable<RunItem["tick"]> {
  return {
    itemKey: "x",
    ticked: true,
    byEmail,
    at: NOW - 60_000,
    note,
    evidenceUrl: null,
    history: [{ action: "ticked", byEmail, at: NOW - 60_000, note }],
  };
}

function run(id: string, title: string, items: RunItem[], extra: Partial<Run> = {}): Run {
  const ticked = items.filter((entry) => entry.tick !== null && entry.tick.ticked).length;
  return {
    _id: fakeId("runbookRuns", id),
    templateId: fakeId("runbookTemplates", `t-${id}`),
    cadence: "daily",
    title,
    periodKey: "2026-11-22",
    periodStart: NOW - DAY / 2,
    periodEnd: NOW + DAY / 2,
    timeZone: "UTC",
    version: 1,
    startedAt: NOW - DAY / 2,
    startedBy: "operator@example.com",
    closedAt: null,
    closedBy: null,
    items,
    progress: {
      ticked,
      total: items.length,
      percent: Math.floor((ticked / items.length) * 100),
      state: "open",
      overdue: false,
    },
    ...extra,
  };
}

const DAILY = run("r-daily", "Daily maintenance", [
  item("check-error-rates", "Check error rates in Sentry", { evidence: "error_rate" }),
  item("review-logs", "Review application logs", { tick: tick("ops@example.com", "quiet night") }),
  item("monitor-performance", "Monitor performance metrics", { tick: tick("ada@example.com") }),
  item("check-dashboard", "Check Convex dashboard", { link: "https://dashboard.convex.dev" }),
]);

const WEEKLY = run("r-weekly", "Weekly maintenance", [item("security-logs", "Review security logs")], {
  cadence: "weekly",
  periodKey: "2026-W47",
});

const OUTAGE = run(
  "r-outage",
  "API down",
  [item("rollback", "Roll back if there was a recent deployment"), item("notify", "Notify stakeholders")],
  {
    cadence: "on_demand",
    templateId: fakeId("runbookTemplates", "t-outage"),
    periodKey: "started-1",
    periodEnd: null,
  },
);

function template(
  id: string,
  slug: string,
  title: string,
  cadence: TemplateSummary["cadence"],
): TemplateSummary {
  return { _id: fakeId("runbookTemplates", id), slug, title, description: "", cadence, currentVersion: 1 };
}

function board(overrides: Partial<Board> = {}): Board {
  return {
    timeZone: "Europe/Berlin",
    needsSeed: false,
    missingRuns: 0,
    current: [
      {
        template: template("t-daily", "daily-maintenance", "Daily maintenance", "daily"),
        period: { key: "2026-11-22", start: NOW - DAY / 2, end: NOW + DAY / 2 },
        run: DAILY,
        previous: null,
      },
      {
        template: template("t-weekly", "weekly-maintenance", "Weekly maintenance", "weekly"),
        period: { key: "2026-W47", start: NOW - DAY, end: NOW + DAY },
        run: WEEKLY,
        previous: { key: "2026-W46", ticked: 1, total: 4, percent: 25, state: "overdue", overdue: true },
      },
    ],
    onDemandTemplates: [template("t-outage", "complete-outage", "Complete service outage", "on_demand")],
    openRuns: [OUTAGE],
    ...overrides,
  };
}

const HISTORY: History = {
  template: template("t-daily", "daily-maintenance", "Daily maintenance", "daily"),
  timeZone: "Europe/Berlin",
  strip: [
    {
      key: "2026-11-22",
      start: NOW,
      runId: fakeId("runbookRuns", "r-daily"),
      state: "open",
      ticked: 2,
      total: 4,
    },
    {
      key: "2026-11-21",
      start: NOW - DAY,
      runId: fakeId("runbookRuns", "r-old"),
      state: "overdue",
      ticked: 1,
      total: 4,
    },
    { key: "2026-11-20", start: NOW - 2 * DAY, runId: null, state: "no_run", ticked: 0, total: 0 },
  ],
  runs: [
    {
      _id: fakeId("runbookRuns", "r-old"),
      periodKey: "2026-11-21",
      title: "Daily maintenance",
      periodStart: NOW - DAY,
      periodEnd: NOW,
      version: 1,
      startedBy: "system",
      closedAt: null,
      closedBy: null,
      progress: { ticked: 1, total: 4, percent: 25, state: "overdue", overdue: true },
      ticks: [
        {
          itemKey: "review-logs",
          itemText: "Review application logs",
          ticked: true,
          byEmail: "ops@example.com",
          at: NOW - DAY,
          note: "all fine",
          events: 1,
        },
      ],
      untickedItems: ["Check error rates in Sentry"],
    },
  ],
};

function signInAs(role: Role) {
  answerQuery(
    api.users.users.me,
    {},
    {
      _id: fakeId("users", "u1"),
      email: `${role}@example.com`,
      name: null,
      role,
    },
  );
}

const EVIDENCE = {
  error_rate: { source: "error_rate", state: "alert", deployment: "prod", value: 0.02, threshold: 0.01 },
  p95_latency: { source: "p95_latency", state: "none", deployment: "prod", value: null, threshold: 500 },
  log_stream: { source: "log_stream", state: "ok", deployment: "prod", value: Date.now(), threshold: null },
  backup_verification: {
    source: "backup_verification",
    state: "none",
    deployment: null,
    value: null,
    threshold: null,
  },
  usage_forecast: {
    source: "usage_forecast",
    state: "alert",
    deployment: null,
    value: Date.UTC(2026, 10, 27, 12),
    threshold: 1,
    usage: {
      plan: "free",
      worst: { metric: "databaseIo", state: "Approaching", share: 0.85 },
      nextCrossing: { metric: "databaseIo", threshold: 1, at: Date.UTC(2026, 10, 27, 12) },
      timeZone: "UTC",
    },
  },
} as const;

/** The page asks as of the current minute, and for the history of the first checklist shown. */
const THIS_MINUTE = { now: TEST_MINUTE };
const DAILY_HISTORY = { templateId: fakeId("runbookTemplates", "t-daily"), now: TEST_MINUTE };

beforeEach(() => {
  resetFakeBackend();
  signInAs("operator");
  answerQuery(api.runbooks.runbooks.board, THIS_MINUTE, board());
  answerQuery(api.runbooks.runbooks.history, DAILY_HISTORY, HISTORY);
  answerQuery(api.runbooks.runbooks.evidence, THIS_MINUTE, EVIDENCE);
});

function renderPage(linkedItem = "") {
  const onSearchChange = vi.fn();
  render(<RunbooksPage search={{}} linkedItem={linkedItem} onSearchChange={onSearchChange} />);
  return onSearchChange;
}

function card(name: string) {
  return screen.getByRole("region", { name });
}

describe("the checklist", () => {
  it("ticks an item with a note", async () => {
    const user = userEvent.setup();
    renderPage();
    const daily = card("Daily maintenance");
    await user.click(within(daily).getByRole("button", { name: "Add note for Check error rates in Sentry" }));
    await user.type(
      within(daily).getByLabelText("Note for “Check error rates in Sentry”"),
      "2%, one bad deploy",
    );
    await user.click(within(daily).getByRole("checkbox", { name: "Check error rates in Sentry" }));
    expect(mutationOf(api.runbooks.runs.tick)).toHaveBeenCalledWith({
      runId: "r-daily",
      itemKey: "check-error-rates",
      note: "2%, one bad deploy",
    });
    expect(within(daily).queryByLabelText("Note for “Check error rates in Sentry”")).not.toBeInTheDocument();
  });

  it("keeps a note being typed while the board and evidence update live", async () => {
    const user = userEvent.setup();
    const { rerender } = render(<RunbooksPage search={{}} onSearchChange={vi.fn()} />);
    const daily = card("Daily maintenance");
    await user.click(within(daily).getByRole("button", { name: "Add note for Check error rates in Sentry" }));
    await user.type(within(daily).getByLabelText("Note for “Check error rates in Sentry”"), "looked at");
    // The minute turns: Convex resubscribes with the new `now` (nothing loaded for it yet), then answers
    // with fresh evidence.
    answerQuery(api.runbooks.runbooks.board, THIS_MINUTE, undefined);
    answerQuery(api.runbooks.runbooks.evidence, THIS_MINUTE, undefined);
    rerender(<RunbooksPage search={{}} onSearchChange={vi.fn()} />);
    answerQuery(api.runbooks.runbooks.board, THIS_MINUTE, board());
    answerQuery(api.runbooks.runbooks.evidence, THIS_MINUTE, {
      ...EVIDENCE,
      error_rate: { ...EVIDENCE.error_rate, value: 0.03 },
    });
    rerender(<RunbooksPage search={{}} onSearchChange={vi.fn()} />);
    const fresh = card("Daily maintenance");
    expect(within(fresh).getByText(/3.00% errors in the last hour/)).toBeInTheDocument();
    await user.type(within(fresh).getByLabelText("Note for “Check error rates in Sentry”"), " twice");
    expect(within(fresh).getByLabelText("Note for “Check error rates in Sentry”")).toHaveValue(
      "looked at twice",
    );
  });

  it("ticks without a note, unticks, and shows a refusal in place", async () => {
    const user = userEvent.setup();
    mutationOf(api.runbooks.runs.untick).mockRejectedValue(
      new ConvexError({ code: "CONFLICT", message: "The period of Daily maintenance has ended." }),
    );
    renderPage();
    const daily = card("Daily maintenance");
    await user.click(within(daily).getByRole("checkbox", { name: "Check Convex dashboard" }));
    expect(mutationOf(api.runbooks.runs.tick)).toHaveBeenCalledWith({
      runId: "r-daily",
      itemKey: "check-dashboard",
    });
    await user.click(within(daily).getByRole("checkbox", { name: "Review application logs" }));
    expect(mutationOf(api.runbooks.runs.untick)).toHaveBeenCalledWith({
      runId: "r-daily",
      itemKey: "review-logs",
    });
    expect(await within(daily).findByRole("alert")).toHaveTextContent("CONFLICT");
  });

  it("opens the item an alert's runbook link names: scrolled to, its checkbox focused", () => {
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    renderPage("review-logs");
    const checkbox = within(card("Daily maintenance")).getByRole("checkbox", {
      name: "Review application logs",
    });
    expect(checkbox).toHaveFocus();
    expect(scrolled).toEqual([checkbox.closest("li")]);
    Reflect.deleteProperty(Element.prototype, "scrollIntoView");
  });

  it("shows progress, who ticked what, and evidence beside the item", () => {
    renderPage();
    const daily = card("Daily maintenance");
    const progress = within(daily).getByRole("progressbar", { name: "Daily maintenance progress" });
    expect(progress).toHaveAttribute("aria-valuenow", "50");
    expect(progress).toHaveAttribute("aria-valuetext", "2 of 4 done");
    expect(within(daily).getByRole("checkbox", { name: "Review application logs" })).toBeChecked();
    expect(within(daily).getByText(/Ticked by ops@example.com/)).toHaveTextContent("“quiet night”");
    expect(within(daily).getByText(/2.00% errors in the last hour on prod \(threshold 1.00%\)/)).toHaveClass(
      "evidence-alert",
    );
    expect(screen.getByRole("heading", { name: /This period/ })).toHaveTextContent("Europe/Berlin");
  });

  it("shows an overdue badge for a run whose period ended and for an overdue previous period", () => {
    answerQuery(
      api.runbooks.runbooks.board,
      THIS_MINUTE,
      board({
        current: [
          {
            template: template("t-daily", "daily-maintenance", "Daily maintenance", "daily"),
            period: { key: "2026-11-22", start: NOW - DAY, end: NOW - 1 },
            run: {
              ...DAILY,
              periodEnd: NOW - 60_000,
              progress: { ...DAILY.progress, state: "overdue", overdue: true },
            },
            previous: null,
          },
          board().current[1]!,
        ],
      }),
    );
    renderPage();
    const daily = card("Daily maintenance");
    expect(within(daily).getByText("Overdue")).toHaveClass("badge-overdue");
    // A run whose period ended takes no more ticks.
    expect(within(daily).getByRole("checkbox", { name: "Check Convex dashboard" })).toBeDisabled();
    expect(within(card("Weekly maintenance")).getByText("Overdue: 2026-W46 (1 of 4)")).toBeInTheDocument();
  });

  it("is read-only for viewers: every tick control is disabled", () => {
    signInAs("viewer");
    renderPage();
    expect(screen.getByRole("status")).toHaveTextContent("ticking needs the operator role");
    const checkboxes = screen.getAllByRole("checkbox");
    expect(checkboxes.length).toBeGreaterThan(0);
    for (const checkbox of checkboxes) expect(checkbox).toBeDisabled();
    expect(screen.queryByRole("button", { name: /Add note/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Start an on-demand runbook" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Close/ })).not.toBeInTheDocument();
  });

  it("shows skeletons while loading and starts the period's runs on first view", () => {
    answerQuery(api.runbooks.runbooks.board, THIS_MINUTE, undefined);
    const { unmount } = render(<RunbooksPage search={{}} onSearchChange={vi.fn()} />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the checklists…");
    unmount();
    answerQuery(
      api.runbooks.runbooks.board,
      THIS_MINUTE,
      board({ needsSeed: true, current: [], openRuns: [] }),
    );
    // With no periodic checklist yet, the history shown is the first on-demand one's.
    const outageHistory = { templateId: fakeId("runbookTemplates", "t-outage"), now: TEST_MINUTE };
    answerQuery(api.runbooks.runbooks.history, outageHistory, undefined);
    renderPage();
    expect(mutationOf(api.runbooks.runs.ensureCurrent)).toHaveBeenCalledWith({});
  });

  it("shows the newest verified backup against the RPO target beside the backup item", () => {
    const weekly = run(
      "r-weekly",
      "Weekly maintenance",
      [item("backup-verification", "Backup verification", { evidence: "backup_verification" })],
      { cadence: "weekly", periodKey: "2026-W47" },
    );
    const [daily, weeklyEntry] = board().current;
    answerQuery(
      api.runbooks.runbooks.board,
      THIS_MINUTE,
      board({ current: [daily!, { ...weeklyEntry!, run: weekly }] }),
    );
    const backup = {
      source: "backup_verification" as const,
      deployment: null,
      value: Date.now() - 3 * 3_600_000,
      threshold: 3_600_000,
    };
    answerQuery(api.runbooks.runbooks.evidence, THIS_MINUTE, {
      ...EVIDENCE,
      error_rate: { source: "error_rate", state: "ok", deployment: "prod", value: 0, threshold: 0.01 },
      p95_latency: { source: "p95_latency", state: "none", deployment: "prod", value: null, threshold: 500 },
      log_stream: {
        source: "log_stream",
        state: "ok",
        deployment: "prod",
        value: Date.now(),
        threshold: null,
      },
      backup_verification: { ...backup, state: "alert" },
    });
    renderPage();
    const evidence = within(card("Weekly maintenance")).getByText(/newest verified backup/);
    expect(evidence).toHaveTextContent(
      "Backup verification: RPO breached: the newest verified backup is 3 hours old, past the 1 hour target.",
    );
    expect(evidence).toHaveClass("evidence-alert");
  });
});

describe("on-demand runbooks", () => {
  it("starts one with a title", async () => {
    const user = userEvent.setup();
    renderPage();
    const form = screen.getByRole("form", { name: "Start an on-demand runbook" });
    await user.type(within(form).getByLabelText("Title"), "Checkout 500s");
    await user.click(within(form).getByRole("button", { name: "Start" }));
    expect(mutationOf(api.runbooks.runs.start)).toHaveBeenCalledWith({
      templateId: "t-outage",
      title: "Checkout 500s",
    });
  });

  it("asks for the run's title before closing it with unticked items", async () => {
    const user = userEvent.setup();
    renderPage();
    await user.click(within(card("API down")).getByRole("button", { name: "Close API down" }));
    const dialog = screen.getByRole("dialog", { name: "Close API down with 2 unticked items?" });
    const confirm = within(dialog).getByRole("button", { name: "Close runbook" });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/to confirm/), "API down");
    await user.click(confirm);
    expect(mutationOf(api.runbooks.runs.close)).toHaveBeenCalledWith({ runId: "r-outage" });
  });
});

describe("history", () => {
  it("shows a strip of periods with a text alternative and who ticked what", async () => {
    const user = userEvent.setup();
    const onSearchChange = renderPage();
    const strip = screen.getByRole("list", { name: "Recent periods of Daily maintenance, oldest first" });
    expect(
      within(strip)
        .getAllByRole("listitem")
        .map((cell) => cell.textContent),
    ).toEqual([
      "2026-11-20: No run",
      "2026-11-21: Overdue, 1 of 4 ticked",
      "2026-11-22: In progress, 2 of 4 ticked",
    ]);
    const table = screen.getByRole("table", { name: "Runs of Daily maintenance" });
    expect(table).toHaveTextContent("Review application logs — ops@example.com");
    expect(table).toHaveTextContent("“all fine”");
    expect(table).toHaveTextContent("Not ticked: Check error rates in Sentry");
    await user.selectOptions(screen.getByLabelText("Checklist"), "weekly-maintenance");
    expect(onSearchChange).toHaveBeenCalledWith({ history: "weekly-maintenance" });
  });

  it("says which items a run with nothing ticked left, in one sentence", () => {
    answerQuery(api.runbooks.runbooks.history, DAILY_HISTORY, {
      ...HISTORY,
      runs: [
        { ...HISTORY.runs[0]!, ticks: [], untickedItems: ["Check error rates in Sentry", "Review logs"] },
      ],
    });
    renderPage();
    const table = screen.getByRole("table", { name: "Runs of Daily maintenance" });
    expect(table).toHaveTextContent("None of the 2 items ticked: Check error rates in Sentry; Review logs");
    expect(table).not.toHaveTextContent(/Nothing ticked\s*Not ticked/);
  });
});

describe("template editor", () => {
  it("is shown to admins and saves a new version with reworded, reordered, retired and added items", async () => {
    signInAs("admin");
    answerQuery(
      api.runbooks.runbooks.template,
      { templateId: fakeId("runbookTemplates", "t-daily") },
      {
        ...template("t-daily", "daily-maintenance", "Daily maintenance", "daily"),
        items: [
          { key: "a", text: "First", help: null, link: null, evidence: null },
          { key: "b", text: "Second", help: "why", link: null, evidence: "error_rate" },
          { key: "c", text: "Third", help: null, link: null, evidence: null },
        ],
        versions: [{ version: 1, createdAt: NOW, createdBy: "seed", items: 3 }],
      },
    );
    const user = userEvent.setup();
    renderPage();
    const editor = screen.getByRole("form", { name: "Edit Daily maintenance" });
    const first = within(editor).getByLabelText("Item 1");
    await user.clear(first);
    await user.type(first, "First, reworded");
    await user.click(within(editor).getByRole("button", { name: "Move item 2 up" }));
    await user.click(within(editor).getByRole("button", { name: "Retire item 3" }));
    await user.click(within(editor).getByRole("button", { name: "Add item" }));
    await user.type(within(editor).getByLabelText("Item 3"), "Brand new");
    await user.click(within(editor).getByRole("button", { name: "Save as version 2" }));
    expect(mutationOf(api.runbooks.templates.saveVersion)).toHaveBeenCalledWith({
      templateId: "t-daily",
      expectedVersion: 1,
      title: "Daily maintenance",
      description: "",
      items: [
        { key: "b", text: "Second", help: "why", evidence: "error_rate" },
        { key: "a", text: "First, reworded" },
        { text: "Brand new" },
      ],
    });
  });

  it("is not shown to operators", () => {
    renderPage();
    expect(screen.queryByRole("heading", { name: "Templates" })).not.toBeInTheDocument();
  });
});
