import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_EDITABLE_SETTINGS } from "@convex/settings/shared";
import { api } from "@convex/_generated/api";
import { answerQuery, mutationOf, refuseNext, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { UNCONFIGURED_STREAM } from "@/test/metricsFixtures";
import { renderApp } from "@/test/renderApp";
import { answerConsoleSettings } from "@/test/settingsFixtures";
import { ThresholdSettings } from "./ThresholdSettings";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

beforeEach(() => {
  resetFakeBackend();
  answerQuery(api.metrics.webhookSecrets.status, {}, UNCONFIGURED_STREAM);
  answerConsoleSettings({ slowDurationMs: 250 }, { at: Date.now() - 60_000, by: "ada@example.com" });
});

describe("settings: thresholds and retention", () => {
  it("lets an admin change a threshold and sends every value", async () => {
    signInAs("admin");
    const update = mutationOf(api.settings.settings.update);
    renderApp("/settings");
    const duration = await screen.findByLabelText("Slow call duration (ms)");
    expect(duration).toHaveValue(250);
    expect(screen.getByText(/Last changed by ada@example.com/)).toBeInTheDocument();
    await userEvent.clear(duration);
    await userEvent.type(duration, "400");
    await userEvent.click(screen.getByRole("button", { name: "Save thresholds" }));
    expect(update).toHaveBeenCalledWith({ ...DEFAULT_EDITABLE_SETTINGS, slowDurationMs: 400 });
    expect(await screen.findByText(/judged by these thresholds from now on/)).toBeInTheDocument();
  });

  it("keeps what an admin is typing when another admin's save arrives, and shows the other fields' new values", async () => {
    signInAs("admin");
    const { rerender } = render(<ThresholdSettings />);
    const duration = screen.getByLabelText("Slow call duration (ms)");
    await userEvent.clear(duration);
    await userEvent.type(duration, "400");
    answerConsoleSettings(
      { slowDurationMs: 300, rawRetentionHours: 48 },
      { at: Date.now(), by: "grace@example.com" },
    );
    rerender(<ThresholdSettings />);
    expect(screen.getByLabelText("Slow call duration (ms)")).toHaveValue(400);
    expect(screen.getByLabelText("Raw event retention (hours)")).toHaveValue(48);
    expect(screen.getByText(/Last changed by grace@example.com/)).toBeInTheDocument();
  });

  it("says what is wrong before sending, and shows a server refusal in place", async () => {
    signInAs("admin");
    const update = mutationOf(api.settings.settings.update);
    refuseNext(update, "VALIDATION_ERROR", "Replay window must be…");
    renderApp("/settings");
    const retention = await screen.findByLabelText("Raw event retention (hours)");
    await userEvent.clear(retention);
    await userEvent.type(retention, "500");
    expect(
      screen.getByText("Raw event retention must be a whole number from 1 to 168 hours."),
    ).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save thresholds" })).toBeDisabled();
    await userEvent.clear(retention);
    await userEvent.type(retention, "48");
    await userEvent.click(screen.getByRole("button", { name: "Save thresholds" }));
    expect(await screen.findByText(/VALIDATION_ERROR/)).toBeInTheDocument();
  });

  it("asks for typed confirmation before shortening retention, and saves only after it", async () => {
    signInAs("admin");
    const update = mutationOf(api.settings.settings.update);
    renderApp("/settings");
    const retention = await screen.findByLabelText("Raw event retention (hours)");
    await userEvent.clear(retention);
    await userEvent.type(retention, "6");
    await userEvent.click(screen.getByRole("button", { name: "Save thresholds" }));
    const dialog = screen.getByRole("dialog", { name: "Shorten raw event retention?" });
    expect(dialog).toHaveTextContent("older than 6 hours are deleted");
    const confirm = within(dialog).getByRole("button", { name: "Shorten retention and save" });
    expect(confirm).toBeDisabled();
    expect(update).not.toHaveBeenCalled();
    await userEvent.type(within(dialog).getByRole("textbox"), "shorten retention");
    await userEvent.click(confirm);
    expect(update).toHaveBeenCalledWith({
      ...DEFAULT_EDITABLE_SETTINGS,
      slowDurationMs: 250,
      rawRetentionHours: 6,
    });
  });

  it("shows viewers the values read-only", async () => {
    signInAs("viewer");
    renderApp("/settings");
    expect(await screen.findByLabelText("Slow call duration (ms)")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save thresholds" })).not.toBeInTheDocument();
    expect(screen.getByText("Only admins change these.")).toBeInTheDocument();
  });
});
