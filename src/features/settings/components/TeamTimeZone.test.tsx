import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, mutationOf, refuseNext, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

beforeEach(() => {
  resetFakeBackend();
  answerQuery(api.settings.settings.timeZone, {}, "Europe/Berlin");
});

describe("settings: team time zone", () => {
  it("lets an admin change the zone the team's days and months count in", async () => {
    signInAs("admin");
    const setTimeZone = mutationOf(api.settings.settings.setTimeZone);
    renderApp("/settings");
    const zone = await screen.findByLabelText("Time zone (IANA name)");
    expect(zone).toHaveValue("Europe/Berlin");
    const save = screen.getByRole("button", { name: "Save time zone" });
    expect(save).toBeDisabled();
    await userEvent.clear(zone);
    await userEvent.type(zone, "Pacific/Auckland");
    await userEvent.click(save);
    expect(setTimeZone).toHaveBeenCalledWith({ timeZone: "Pacific/Auckland" });
    expect(await screen.findByText("Time zone saved.")).toBeInTheDocument();
  });

  it("shows a refused zone in place as a sentence", async () => {
    signInAs("admin");
    refuseNext(
      mutationOf(api.settings.settings.setTimeZone),
      "VALIDATION_ERROR",
      "“Mars/Olympus” is not an IANA time zone name.",
    );
    renderApp("/settings");
    const zone = await screen.findByLabelText("Time zone (IANA name)");
    await userEvent.clear(zone);
    await userEvent.type(zone, "Mars/Olympus");
    await userEvent.click(screen.getByRole("button", { name: "Save time zone" }));
    expect(await screen.findByText(/is not an IANA time zone name/)).toBeInTheDocument();
  });

  it("tells a viewer the zone without a form", async () => {
    signInAs("viewer");
    renderApp("/settings");
    expect(await screen.findByText("Europe/Berlin")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save time zone" })).not.toBeInTheDocument();
  });
});
