import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { FunctionReturnType } from "convex/server";
import { api } from "@convex/_generated/api";
import { answerQuery, mutationOf, refuseNext, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { NOW, UNCONFIGURED_STREAM } from "@/test/metricsFixtures";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const STATUS: FunctionReturnType<typeof api.metrics.webhookSecrets.status> = {
  accepted: [
    { which: "current", masked: "••••9f3a", until: null },
    { which: "previous", masked: "••••77b1", until: NOW + 20 * 3_600_000 },
  ],
  environmentRetired: true,
  problem: null,
  secret: {
    source: "settings",
    masked: "••••9f3a",
    rotatedAt: NOW - 3_600_000,
    rotatedBy: "ada@example.com",
    previousValidUntil: NOW + 20 * 3_600_000,
  },
  deployments: [
    {
      name: "tall-sheep-123",
      type: "prod",
      projectSlug: "app",
      firstEventAt: NOW - 86_400_000,
      lastEventAt: NOW - 30_000,
      lastVerificationAt: null,
      eventsAccepted: 12_345,
      duplicates: 7,
      replaysRejected: 2,
      unknownTopics: 1,
    },
  ],
};

beforeEach(() => {
  resetFakeBackend();
  answerQuery(api.metrics.webhookSecrets.status, {}, STATUS);
  vi.stubEnv("VITE_CONVEX_URL", "https://tall-sheep-123.convex.cloud");
  return () => vi.unstubAllEnvs();
});

describe("settings: log stream", () => {
  it("shows the webhook URL, the masked secret with its rotation and the per-deployment status", async () => {
    signInAs("viewer");
    renderApp("/settings");
    expect(await screen.findByLabelText("Webhook URL")).toHaveTextContent(
      "https://tall-sheep-123.convex.site/log-stream",
    );
    expect(screen.getByText(/by ada@example.com/)).toBeInTheDocument();
    const accepted = screen.getByRole("list", { name: "Secrets accepted now" });
    const items = within(accepted).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^Current secret ••••9f3a.*until the next rotation/),
      expect.stringMatching(/^Previous secret ••••77b1.*accepted until/),
    ]);
    expect(screen.getByText(/is set but no longer accepted/)).toHaveTextContent(
      "LOG_STREAM_WEBHOOK_SECRET is set but no longer accepted",
    );
    const table = screen.getByRole("table", { name: "Log-stream status per watched deployment" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("tall-sheep-123");
    expect(row).toHaveTextContent("never");
    expect(row).toHaveTextContent("12,345");
    expect(screen.getByText(/chosen on the/)).toHaveTextContent(
      "The plan and its included amounts are chosen on the Usage page.",
    );
  });

  it.each(["viewer", "operator"] as const)("does not offer the secret form to a %s", async (role) => {
    signInAs(role);
    renderApp("/settings");
    expect(await screen.findByText("Only admins can set or rotate the webhook secret.")).toBeInTheDocument();
    expect(document.querySelector('input[type="password"]')).toBeNull();
    expect(screen.queryByRole("button", { name: /secret/ })).not.toBeInTheDocument();
  });

  it("lets an admin rotate the secret and shows VALIDATION_ERROR in place", async () => {
    signInAs("admin");
    const setSecret = refuseNext(
      mutationOf(api.metrics.webhookSecrets.setSecret),
      "VALIDATION_ERROR",
      "Paste the webhook secret Convex shows for this log stream: 16 to 256 characters, no spaces.",
    );
    renderApp("/settings");
    const user = userEvent.setup();
    const input = await screen.findByLabelText("New webhook secret");
    expect(input).toHaveAttribute("type", "password");
    await user.type(input, "short");
    await user.click(screen.getByRole("button", { name: "Rotate secret" }));
    expect(setSecret).toHaveBeenCalledWith({ secret: "short" });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Secret not saved");
    expect(alert).toHaveTextContent("VALIDATION_ERROR");
    expect(input).toHaveValue("short");

    await user.clear(input);
    await user.type(input, "0123456789abcdef0123456789abcdef");
    await user.click(screen.getByRole("button", { name: "Rotate secret" }));
    expect(await screen.findByText(/Secret saved/)).toBeInTheDocument();
    expect(input).toHaveValue("");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("tells an admin when no secret is configured", async () => {
    signInAs("admin");
    answerQuery(api.metrics.webhookSecrets.status, {}, UNCONFIGURED_STREAM);
    renderApp("/settings");
    expect(await screen.findByText(/No secret configured/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save secret" })).toBeDisabled();
    expect(screen.getByText(/No deployment has sent events yet/)).toBeInTheDocument();
  });

  it("says in place when the stored secret cannot be read and must be pasted again", async () => {
    signInAs("admin");
    answerQuery(
      api.metrics.webhookSecrets.status,
      {},
      {
        accepted: [],
        environmentRetired: false,
        problem:
          "The stored webhook secret was saved before secrets were encrypted and no longer verifies: paste it again.",
        secret: {
          source: "settings",
          masked: "••••9f3a",
          rotatedAt: NOW,
          rotatedBy: "a@example.com",
          previousValidUntil: null,
        },
        deployments: [],
      },
    );
    renderApp("/settings");
    expect(
      await screen.findByText(/saved before secrets were encrypted.*paste it again/),
    ).toBeInTheDocument();
  });

  it("shows a failing status query in place", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    signInAs("viewer");
    answerQuery(
      api.metrics.webhookSecrets.status,
      {},
      new ConvexError({ code: "UNAUTHENTICATED", message: "Sign in to continue." }),
    );
    renderApp("/settings");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the log-stream status");
    expect(alert).toHaveTextContent("UNAUTHENTICATED");
    expect(screen.getByLabelText("Webhook URL")).toBeInTheDocument();
  });
});
