import { api } from "@convex/_generated/api";
import { cleanup, screen, within } from "@testing-library/react";
import type { FunctionReturnType } from "convex/server";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { answerQuery, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { answerOverviewMetrics, TILES } from "@/test/metricsFixtures";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);
vi.mock("recharts", async (importOriginal) =>
  (await import("@/test/recharts")).withFixedSizeCharts(await importOriginal<object>()),
);

const HOUR = 3_600_000;
const LABEL = "Backups (RPO)";

beforeEach(() => {
  resetFakeBackend();
  signInAs("viewer");
  answerOverviewMetrics();
});

function tile(label: string) {
  const tiles = screen.getByRole("list", { name: "Health tiles" }).querySelectorAll("li");
  const found = [...tiles].find((item) => item.querySelector(".tile-label")?.textContent === label);
  if (!found) throw new Error(`no tile ${label}`);
  return found;
}

const rpo = (newestVerifiedAt: number | null): FunctionReturnType<typeof api.backups.backups.rpo> => ({
  newestVerifiedAt,
  newestName: null,
  targetMs: HOUR,
  // The tile applies the rule itself on the page's clock; a stale server status must not show.
  status: { state: "ok", ageMs: 0, targetMs: HOUR, remainingMs: HOUR, sentence: "" },
});

async function renderOverview() {
  renderApp("/");
  await screen.findByRole("heading", { name: "Last hour" });
}

describe("the Overview's backups RPO tile", () => {
  it("shows a skeleton while the RPO loads", async () => {
    await renderOverview();
    expect(within(tile(LABEL)).getByText("Loading the RPO…")).toBeInTheDocument();
  });

  it("shows the newest verified backup's age against the target, linking to Backups", async () => {
    answerQuery(api.backups.backups.rpo, {}, rpo(Date.now() - 20 * 60_000));
    await renderOverview();
    expect(tile(LABEL)).toHaveTextContent("20 minutes old");
    expect(tile(LABEL)).toHaveTextContent("✓ Within threshold");
    expect(tile(LABEL)).toHaveTextContent("alerts above 100 % · target 1 hour");
    expect(within(tile(LABEL)).getByRole("link")).toHaveAttribute("href", "/backups");
    cleanup();

    answerQuery(api.backups.backups.rpo, {}, rpo(null));
    await renderOverview();
    expect(tile(LABEL)).toHaveTextContent("No verified backup yet");
  });

  it("is red exactly when the backup-RPO rule fires, whatever the age the page computes", async () => {
    // Three hours old against a one-hour target, but the rule has not fired (yet): not red.
    answerQuery(api.backups.backups.rpo, {}, rpo(Date.now() - 3 * HOUR));
    await renderOverview();
    expect(tile(LABEL)).toHaveTextContent("3 hours old");
    expect(tile(LABEL)).toHaveClass("tile-ok");
    cleanup();

    const reason = "newest verified backup age (share of the RPO target) 300 % > 100 %";
    answerQuery(
      api.alerts.alerts.tiles,
      { deployment: "tall-sheep-123" },
      {
        ...TILES,
        backup_age_share: { verdict: "alert", rule: { ...TILES.backup_age_share.rule!, reason } },
      },
    );
    await renderOverview();
    expect(tile(LABEL)).toHaveClass("tile-alert");
    expect(tile(LABEL)).toHaveTextContent(`⚠ Over threshold ${reason} · target 1 hour`);
  });

  it("takes the target from the backup settings, not a constant", async () => {
    answerQuery(api.backups.backups.rpo, {}, { ...rpo(Date.now() - 3 * HOUR), targetMs: 4 * HOUR });
    await renderOverview();
    expect(tile(LABEL)).toHaveTextContent("target 4 hours");
  });

  it("shows a failure to read the RPO as a sentence inside the tile, keeping the other tiles", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    answerQuery(
      api.backups.backups.rpo,
      {},
      new ConvexError({ code: "FORBIDDEN", message: "Your role cannot see backups." }),
    );
    await renderOverview();
    const alert = within(tile(LABEL)).getByRole("alert");
    expect(alert).toHaveTextContent("Could not load the RPO");
    expect(alert).toHaveTextContent("Your role cannot see backups.");
    expect(tile("Request rate")).toHaveTextContent("42.5 / min");
  });
});
