import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, fakeBackend, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

beforeEach(() => {
  resetFakeBackend();
  document.title = "Convex Ops Console";
});

describe("document titles", () => {
  it.each([
    ["/", "Overview"],
    ["/slow-queries", "Slow queries"],
    ["/errors", "Errors"],
    ["/audit", "Audit trail"],
    ["/usage", "Usage"],
    ["/settings", "Settings"],
    ["/no-such-page", "Page not found"],
  ])("%s is titled %s", async (path, title) => {
    signInAs("admin");
    renderApp(path);
    await screen.findByRole("heading", { level: 1, name: title });
    expect(document.title).toBe(`${title} · Convex Ops Console`);
  });

  it("names the sign-in screen when signed out", async () => {
    fakeBackend.auth = { isLoading: false, isAuthenticated: false };
    answerQuery(api.users.users.bootstrapStatus, {}, { needsFirstAdmin: false });
    renderApp("/errors?errorCode=OCC");
    await screen.findByRole("button", { name: /Sign in/ });
    expect(document.title).toBe("Sign in · Convex Ops Console");
  });
});
