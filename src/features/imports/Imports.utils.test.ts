import { describe, expect, it } from "vitest";
import {
  blockedReason,
  importView,
  replaceConfirmation,
  sentAsNote,
  sentence,
  shownPreview,
} from "./Imports.utils";
import { VALID_PREVIEW } from "./imports.fixtures";
import { chunkRanges } from "./upload";

const preview = { ...VALID_PREVIEW, rows: 3, validRows: 3, fields: [], firstRows: [], warnings: [] };

describe("import view", () => {
  it("measures upload and send progress against the file's size", () => {
    expect(importView({ state: "uploading", bytesUploaded: 4_000_000 }, 16_000_000)).toMatchObject({
      percent: 25,
      running: true,
      detail: "4.0 MB of 16.0 MB stored in the console.",
    });
    expect(importView({ state: "sending", bytesSent: 16_000_000 }, 16_000_000).percent).toBe(100);
  });

  it("reads the result as a sentence", () => {
    expect(importView({ state: "completed", rowsWritten: 10_000 }, 1).detail).toBe("10,000 rows written.");
    expect(importView({ state: "completed", rowsWritten: 1 }, 1).detail).toBe("1 row written.");
    const failed = importView({ state: "failed", step: "import", reason: "table tasks is not empty" }, 1);
    expect(failed).toMatchObject({ tone: "problem", detail: "Table tasks is not empty." });
  });

  it("ends a message with a full stop only when it has none", () => {
    expect(sentence("done!")).toBe("Done!");
    expect(sentence("Hydrating…")).toBe("Hydrating…");
  });
});

describe("sending rules", () => {
  it("asks for the table, or the deployment for a ZIP, only when rows are replaced", () => {
    const csv = { targetTable: "tasks", deployment: "prod" };
    expect(replaceConfirmation("append", csv)).toBeNull();
    expect(replaceConfirmation("replace", csv)).toBe("tasks");
    expect(replaceConfirmation("replaceAll", { targetTable: null, deployment: "prod" })).toBe("prod");
  });

  it("blocks a file with invalid lines or one Convex would reject", () => {
    expect(blockedReason(preview)).toBeNull();
    expect(blockedReason({ ...preview, invalidCount: 2 })).toMatch(/^2 invalid lines: .*upload it again/);
    expect(blockedReason({ ...preview, rejected: "the file starts with a BOM" })).toBe(
      "The file starts with a BOM.",
    );
  });

  it("cuts a file into ordered chunk ranges", () => {
    expect(chunkRanges(10, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(chunkRanges(0, 4)).toEqual([]);
  });
});

describe("typing a CSV by the table's schema", () => {
  const typed = { ...preview, fields: [{ name: "completed", types: ["boolean"], empty: 0 }] };

  it("shows the schema-typed preview while the option is on, Convex's rules when it is off", () => {
    const row = {
      preview,
      schemaTypedPreview: typed,
      typedBySchema: undefined,
      status: { state: "ready" as const },
    };
    expect(shownPreview(row, true)).toBe(typed);
    expect(shownPreview(row, false)).toBe(preview);
    expect(shownPreview({ ...row, schemaTypedPreview: undefined }, true)).toBe(preview);
  });

  it("after sending, shows the preview of what was sent", () => {
    const sending = { state: "sending" as const, bytesSent: 0 };
    expect(
      shownPreview({ preview, schemaTypedPreview: typed, typedBySchema: true, status: sending }, false),
    ).toBe(typed);
    expect(
      shownPreview({ preview, schemaTypedPreview: typed, typedBySchema: false, status: sending }, true),
    ).toBe(preview);
  });

  it("names the table whose schema typed the cells", () => {
    expect(sentAsNote({ typedBySchema: true, targetTable: "tasks" })).toBe(
      "typed by the schema of tasks, sent as JSON Lines",
    );
    expect(sentAsNote({ typedBySchema: false, targetTable: "tasks" })).toBeNull();
    expect(sentAsNote({ typedBySchema: undefined, targetTable: "tasks" })).toBeNull();
  });
});
