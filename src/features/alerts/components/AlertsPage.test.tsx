import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, fakeId, mutationOf, refuseNext, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { renderApp } from "@/test/renderApp";
import { answerAlertsPage, openAlert } from "./alertsPage.fixtures";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const MIN = 60_000;

beforeEach(() => {
  resetFakeBackend();
  answerAlertsPage(
    [
      openAlert({
        _id: fakeId("alertInstances", "p"),
        state: "pending",
        ruleName: "p95 latency above 500 ms",
        severity: "warning",
        reason: "p95 620 ms > 500 ms",
      }),
      openAlert({}),
    ],
    [
      {
        _id: fakeId("alertChannels", "c1"),
        name: "ops",
        kind: "slack",
        urlMasked: "https://hooks.slack.com/••••WXYZ",
        secretMasked: null,
        enabled: true,
        updatedAt: 0,
        updatedBy: "admin@example.com",
      },
    ],
  );
});

describe("Alerts page", () => {
  it("shows skeletons while loading", async () => {
    signInAs("viewer");
    answerQuery(api.alerts.alerts.overview, {}, undefined);
    renderApp("/alerts");
    expect(await screen.findByText("Loading alerts…")).toBeInTheDocument();
  });

  it("lists firing before pending, links the chart and runbook, and the tab counts what fires", async () => {
    signInAs("viewer");
    renderApp("/alerts");
    const list = await screen.findByRole("list", { name: "Open alerts" });
    const cards = within(list).getAllByRole("listitem");
    expect(cards[0]).toHaveTextContent("Error rate above 1 %");
    expect(cards[1]).toHaveTextContent("Pending");
    expect(within(cards[0]!).getByRole("link", { name: /Chart and failing requests/ })).toHaveAttribute(
      "href",
      expect.stringContaining("/errors?deployment=prod&range=15m"),
    );
    expect(within(cards[0]!).getByRole("link", { name: "Runbook step" })).toHaveAttribute(
      "href",
      expect.stringContaining("/runbooks?history=complete-outage#check-logs"),
    );
    expect(document.title).toMatch(/^\(1 firing\) Alerts/);
    // A viewer neither acknowledges nor manages channels.
    expect(screen.queryByRole("button", { name: "Acknowledge" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Send a test notification/ })).not.toBeInTheDocument();
  });

  it("lists the requests behind an alert, each opening its request timeline over the alert's window", async () => {
    signInAs("viewer");
    const firedAt = Date.now() - 5 * MIN;
    answerQuery(
      api.alerts.alerts.evidence,
      { instanceId: fakeId("alertInstances", "i1") },
      {
        kind: "failures",
        from: firedAt - 5 * MIN,
        to: firedAt + 1,
        calls: [
          {
            requestId: "req-aaa",
            ts: firedAt - MIN,
            functionPath: "orders:list",
            durationMs: 31,
            failed: true,
          },
          {
            requestId: "req-bbb",
            ts: firedAt - 2 * MIN,
            functionPath: "orders:pay",
            durationMs: 820,
            failed: true,
          },
        ],
        more: true,
      },
    );
    answerQuery(api.alerts.alerts.evidence, { instanceId: fakeId("alertInstances", "p") }, undefined);
    renderApp("/alerts");
    const list = await screen.findByRole("list", { name: /Failing requests behind it/ });
    const links = within(list).getAllByRole("link");
    expect(links.map((link) => link.textContent)).toEqual(["req-aaa", "req-bbb"]);
    expect(links[0]).toHaveAccessibleName("Request req-aaa: open its timeline");
    expect(links[0]).toHaveAttribute(
      "href",
      expect.stringContaining("/errors?deployment=prod&range=15m&request=req-aaa"),
    );
    expect(within(list).getByText(/orders:pay · failed after 820 ms/)).toBeInTheDocument();
    expect(screen.getByText("The newest 2 are listed; the chart above has them all.")).toBeInTheDocument();
    // The pending latency alert's requests are still loading: a skeleton, not an empty claim.
    expect(screen.getByText("Loading the requests behind this alert…")).toBeInTheDocument();
  });

  it("lets an operator acknowledge with a note and shows a refusal as a sentence", async () => {
    signInAs("operator");
    const acknowledge = mutationOf(api.alerts.alerts.acknowledge);
    renderApp("/alerts");
    await userEvent.type(await screen.findByLabelText("Note"), "rolling back");
    await userEvent.click(screen.getByRole("button", { name: "Acknowledge" }));
    expect(acknowledge).toHaveBeenCalledWith({ instanceId: "i1", note: "rolling back" });
    refuseNext(acknowledge, "CONFLICT", "This alert is not firing, so there is nothing to acknowledge.");
    await userEvent.type(screen.getByLabelText("Note"), "again");
    await userEvent.click(screen.getByRole("button", { name: "Acknowledge" }));
    expect(
      await screen.findByText("This alert is not firing, so there is nothing to acknowledge."),
    ).toBeInTheDocument();
  });

  it("checks a channel URL before sending it, and an admin can send a test", async () => {
    signInAs("admin");
    const sendTest = mutationOf(api.alerts.alerts.sendTest);
    renderApp("/alerts");
    await userEvent.type(await screen.findByLabelText("URL"), "file:///etc/passwd");
    expect(screen.getByText("Only http and https URLs can receive alerts, not file.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add channel" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Send a test notification to ops" }));
    expect(sendTest).toHaveBeenCalledWith({ channelId: "c1" });
  });

  it("says how alerts are grouped, and an admin groups them by severity too", async () => {
    signInAs("admin");
    const setPolicy = mutationOf(api.alerts.alerts.setPolicy);
    renderApp("/alerts");
    expect(
      await screen.findByText(/Alerts with the same rule, deployment go out in one message\./),
    ).toBeInTheDocument();
    const groupBy = within(screen.getByRole("group", { name: "Group by" }));
    expect(groupBy.getByRole("checkbox", { name: "rule" })).toBeChecked();
    expect(groupBy.getByRole("checkbox", { name: "severity" })).not.toBeChecked();
    await userEvent.click(groupBy.getByRole("checkbox", { name: "severity" }));
    await userEvent.click(screen.getByRole("button", { name: "Save policy" }));
    expect(setPolicy).toHaveBeenCalledWith({
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
      groupBy: ["rule", "deployment", "severity"],
    });
  });

  it("lets an admin delete an alert made from a search, after typing its search; built-in rules only edit", async () => {
    const rule = (key: string, name: string, search?: { query: string; windowMs: number }) => ({
      _id: fakeId("alertRules", key),
      _creationTime: 0,
      key,
      name,
      signal: search === undefined ? ("error_rate" as const) : ("log_matches" as const),
      scope: "deployment" as const,
      unit: search === undefined ? ("ratio" as const) : ("count" as const),
      threshold: search === undefined ? 0.01 : 5,
      recoveryThreshold: search === undefined ? 0.01 : 5,
      pendingMs: 0,
      keepFiringMs: 0,
      severity: "warning" as const,
      runbook: null,
      summary: "",
      enabled: true,
      version: 1,
      updatedAt: 0,
      updatedBy: "admin@example.com",
      ...(search !== undefined && { search }),
    });
    answerQuery(api.alerts.alerts.rules, {}, [
      rule("error-rate", "Error rate above 1 %"),
      rule("search-0a1b2c3d4e5f", "Log search: level:error", { query: "level:error", windowMs: 5 * MIN }),
    ]);
    signInAs("admin");
    const deleteRule = mutationOf(api.alerts.searchRules.deleteSearchRule);
    renderApp("/alerts");
    await screen.findByRole("button", { name: "Edit Error rate above 1 %" });
    expect(screen.queryByRole("button", { name: "Delete Error rate above 1 %" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Delete Log search: level:error" }));
    const dialog = within(screen.getByRole("dialog", { name: "Delete this alert?" }));
    expect(dialog.getByRole("button", { name: "Delete alert" })).toBeDisabled();
    await userEvent.type(dialog.getByRole("textbox"), "level:error");
    await userEvent.click(dialog.getByRole("button", { name: "Delete alert" }));
    expect(deleteRule).toHaveBeenCalledWith({ key: "search-0a1b2c3d4e5f" });
  });
});
