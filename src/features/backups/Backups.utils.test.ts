import { describe, expect, it } from "vitest";
import {
  canDelete,
  canVerifyAgain,
  consoleTablesKeptSentence,
  progressView,
  scheduleTimeProblem,
  tablesSummary,
} from "./Backups.utils";

describe("backups view logic", () => {
  it("shows Convex's progress message while exporting and a percentage while copying", () => {
    expect(
      progressView({ state: "exporting", progressMessage: "Backing up tasks: 2 / 5 documents" }),
    ).toMatchObject({
      label: "Exporting",
      detail: "Backing up tasks: 2 / 5 documents",
      percent: null,
      running: true,
    });
    expect(progressView({ state: "copying", bytesCopied: 250, totalBytes: 1000 })).toMatchObject({
      percent: 25,
      detail: "250 B of 1.0 KB copied",
    });
  });

  it("says which step failed, why, and what to do", () => {
    const view = progressView({
      state: "failed",
      step: "copy",
      reason: "The download ended after 10 of 20 bytes.",
      remedy: "Take the backup again.",
    });
    expect(view.detail).toBe(
      "The copy into the console failed: The download ended after 10 of 20 bytes. Take the backup again.",
    );
    expect(view.tone).toBe("problem");
  });

  it("summarises tables and rows", () => {
    expect(
      tablesSummary([
        { component: "", table: "tasks", rows: 1200 },
        { component: "", table: "notes", rows: 2 },
      ]),
    ).toBe("tasks 1,200 · notes 2");
    expect(tablesSummary(undefined)).toBe("—");
  });

  it("lists only the app's tables of the console's own deployment, and counts the rest in a phrase", () => {
    const tables = [
      { component: "", table: "audit", rows: 40 },
      { component: "", table: "tasks", rows: 4 },
      { component: "", table: "users", rows: 2 },
    ];
    expect(tablesSummary(tables, ["tasks"])).toBe("tasks 4 · 2 console tables not shown");
    expect(tablesSummary(tables)).toBe("audit 40 · tasks 4 · users 2");
    expect(consoleTablesKeptSentence(41)).toBe(
      "41 console tables in the backup are kept as they are and not shown.",
    );
  });

  it("offers verify again only for a stored copy, and delete only for finished, unpinned backups", () => {
    expect(canVerifyAgain({ stored: true, status: { state: "verified" } })).toBe(true);
    expect(canVerifyAgain({ stored: true, status: { state: "verifying" } })).toBe(true);
    expect(
      canVerifyAgain({ stored: false, status: { state: "failed", step: "copy", reason: "", remedy: "" } }),
    ).toBe(false);
    expect(canDelete({ pinned: true, status: { state: "verified" } })).toBe(false);
    expect(canDelete({ pinned: false, status: { state: "exporting", progressMessage: null } })).toBe(false);
    expect(
      canDelete({ pinned: false, status: { state: "failed", step: "export", reason: "", remedy: "" } }),
    ).toBe(true);
  });

  it("checks a schedule time before sending it", () => {
    expect(scheduleTimeProblem("02:30")).toBeNull();
    expect(scheduleTimeProblem("7pm")).toMatch(/HH:MM/);
  });
});

describe("restore progress", () => {
  it("moves forward through the steps and ends with rows written or the error", async () => {
    const { restoreProgressView } = await import("./Backups.utils");
    const steps = [
      restoreProgressView({ state: "backing_up" }),
      restoreProgressView({ state: "uploading", bytesUploaded: 50, totalBytes: 100 }),
      restoreProgressView({ state: "waiting_for_confirmation" }),
      restoreProgressView({ state: "importing", progressMessage: 'Importing "tasks"' }),
    ];
    const percents = steps.map((step) => step.percent!);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(restoreProgressView({ state: "completed", rowsWritten: 1200 }).detail).toBe(
      "1,200 documents written.",
    );
    expect(
      restoreProgressView({ state: "failed", step: "import", reason: "Hit an error while importing." })
        .detail,
    ).toBe("At the import: Hit an error while importing.");
  });
});

describe("restore dialog and pause wording", () => {
  it("counts the console's own app tables, bounds them, keeps the others, and admits another deployment is unknown", async () => {
    const { rowsNowText } = await import("./Backups.utils");
    const own = { counted: true, tables: [{ table: "tasks", rows: 1000, more: true }], limit: 1000 };
    expect(rowsNowText(own, "tasks")).toBe("more than 1,000");
    expect(rowsNowText({ ...own, tables: [{ table: "tasks", rows: 12, more: false }] }, "tasks")).toBe("12");
    expect(rowsNowText(own, "users")).toBe("kept as it is");
    expect(rowsNowText({ counted: false, tables: [], limit: 1000 }, "tasks")).toBe("unknown");
    expect(rowsNowText(undefined, "tasks")).toBe("…");
  });

  it("a canceled restore says who decided and that nothing changed", async () => {
    const { restoreProgressView } = await import("./Backups.utils");
    expect(restoreProgressView({ state: "canceled", by: "ada@example.com" })).toMatchObject({
      running: false,
      detail: "ada@example.com canceled the import after reading Convex's summary; nothing was changed.",
    });
  });
});
