import { describe, expect, it } from "vitest";
import { actionLabel, auditTrailArgs, detailEntries } from "./Audit.utils";

describe("audit view logic", () => {
  it("reads an action as words", () => {
    expect(actionLabel("user.role_changed")).toBe("User role changed");
    expect(actionLabel("logstream.secret_set")).toBe("Log stream secret set");
    expect(actionLabel("runbook.item_ticked")).toBe("Runbook item ticked");
  });

  it("words actions whose names are internal as a person would say them", () => {
    expect(actionLabel("user.bootstrap_admin")).toBe("First admin signed up");
    expect(actionLabel("usage.convex_figures_requested")).toBe("Convex's usage figures read");
    expect(actionLabel("runbook.templates_seeded")).toBe("Runbook templates set up");
  });

  it("shows details by name, leaving out empty values and raw document ids", () => {
    expect(
      detailEntries({
        runId: "jd7f2k9q8x1m3n4p5r6s7t8v9w0y1z2a",
        item: "check-error-rates",
        note: null,
        sessionsEnded: 2,
        renewed: false,
      }),
    ).toEqual([
      ["item", "check-error-rates"],
      ["sessions ended", "2"],
      ["renewed", "no"],
    ]);
    expect(detailEntries(undefined)).toEqual([]);
  });

  it("sends only the filters that are chosen", () => {
    expect(auditTrailArgs({})).toEqual({});
    expect(Object.keys(auditTrailArgs({ actor: undefined, action: "invite.created" }))).toEqual(["action"]);
    expect(auditTrailArgs({ actor: "ada@example.com", action: "invite.created" })).toEqual({
      actor: "ada@example.com",
      action: "invite.created",
    });
  });
});
