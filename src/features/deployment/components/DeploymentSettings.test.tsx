import { api } from "@convex/_generated/api";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { answerQuery, mutationOf, refuseNext, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { UNCONFIGURED_STREAM } from "@/test/metricsFixtures";
import { connectedDeployment } from "@/test/deploymentFixtures";
import { renderApp } from "@/test/renderApp";
import { answerConsoleSettings } from "@/test/settingsFixtures";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

beforeEach(() => {
  resetFakeBackend();
  answerQuery(api.metrics.webhookSecrets.status, {}, UNCONFIGURED_STREAM);
  answerConsoleSettings();
  answerQuery(api.deployment.connection.status, {}, null);
});

describe("settings: connected deployment", () => {
  it("lets an admin connect a deployment and shows a refused key as a sentence", async () => {
    signInAs("admin");
    const save = mutationOf(api.deployment.connection.setConnection);
    renderApp("/settings");
    expect(await screen.findByText(/No deployment is connected/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Deployment URL"), "https://happy-otter-123.convex.cloud");
    await userEvent.type(screen.getByLabelText("Deploy key"), "prod:happy-otter-123|secret-secret-secret");
    await userEvent.click(screen.getByRole("button", { name: "Save connection" }));
    expect(save).toHaveBeenCalledWith({
      url: "https://happy-otter-123.convex.cloud",
      deployKey: "prod:happy-otter-123|secret-secret-secret",
    });
    expect(await screen.findByText(/Saved\. Use Test connection/)).toBeInTheDocument();
    expect(screen.getByLabelText("Deploy key")).toHaveValue("");
    refuseNext(save, "VALIDATION_ERROR", "Paste the deploy key from the Convex dashboard.");
    await userEvent.type(screen.getByLabelText("Deploy key"), "short-key-short-key-xx");
    await userEvent.click(screen.getByRole("button", { name: "Save connection" }));
    expect(await screen.findByText("Paste the deploy key from the Convex dashboard.")).toBeInTheDocument();
  });

  it("shows only the masked key and the last test's sentence; a viewer cannot change anything", async () => {
    signInAs("viewer");
    const test = {
      state: "failed",
      sentence: "The deploy key was refused by happy-otter-123.",
      at: Date.now(),
      by: "admin@example.com",
    } as const;
    answerQuery(api.deployment.connection.status, {}, connectedDeployment({ test }));
    renderApp("/settings");
    expect(await screen.findByText("••••cdef")).toBeInTheDocument();
    expect(screen.getByText(/The deploy key was refused by happy-otter-123\./)).toBeInTheDocument();
    expect(screen.getByText("Only admins can connect a deployment or rotate its key.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Test connection" })).not.toBeInTheDocument();
  });

  function connectedStatus(keyProblem: string | null) {
    answerQuery(api.deployment.connection.status, {}, connectedDeployment({ keyProblem }));
  }

  it("asks for the key again when the URL changes, and says why", async () => {
    signInAs("admin");
    const save = mutationOf(api.deployment.connection.setConnection);
    connectedStatus(null);
    renderApp("/settings");
    expect(
      await screen.findByLabelText("New deploy key (leave empty to keep the current one)"),
    ).not.toBeRequired();
    const urlField = screen.getByLabelText("Deployment URL");
    await userEvent.clear(urlField);
    await userEvent.type(urlField, "https://other-host-456.convex.cloud");
    expect(screen.getByLabelText("Deploy key")).toBeRequired();
    expect(screen.getByText(/A new URL needs its deploy key again/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Save connection" }));
    expect(save).not.toHaveBeenCalled();
  });

  it("says in a sentence when the stored key cannot be used, and asks for it", async () => {
    signInAs("admin");
    connectedStatus(
      "The stored deploy key was saved before secrets were encrypted and is no longer used: paste it again.",
    );
    renderApp("/settings");
    expect(await screen.findByText(/saved before secrets were encrypted/)).toBeInTheDocument();
    expect(screen.getByLabelText("Deploy key")).toBeRequired();
  });
});
