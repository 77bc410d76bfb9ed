import { describe, expect, test } from "vitest";
import {
  afterPreview,
  assertMove,
  canMove,
  failureState,
  outcomeUnknownSentence,
  repeatWarning,
  type ImportState,
} from "./states";

const importing: ImportState = { state: "importing", progressMessage: 'Importing "tasks" (4,000 documents)' };

describe("import states", () => {
  test("an append that stops while Convex writes has an unknown outcome, with the last progress", () => {
    expect(failureState(importing, "append", "import", "The local backend stopped.", 150_000)).toEqual({
      state: "outcome_unknown",
      step: "import",
      reason: "The local backend stopped.",
      lastProgress: 'Importing "tasks" (4,000 documents)',
      rowsReported: 4000,
      rowsInFile: 150_000,
    });
    // The local backend's progress names the total itself.
    const local: ImportState = {
      state: "importing",
      progressMessage: "Importing (4,000 / 150,000 documents)",
    };
    expect(failureState(local, "append", "import", "stopped", 9)).toMatchObject({
      rowsReported: 4000,
      rowsInFile: 150_000,
    });
  });

  test("other modes and earlier steps fail with nothing written", () => {
    for (const mode of ["requireEmpty", "replace", "replaceAll"] as const) {
      expect(failureState(importing, mode, "import", "stopped", 10).state).toBe("failed");
    }
    const sending: ImportState = { state: "sending", bytesSent: 10 };
    expect(failureState(sending, "append", "upload", "stopped", 10)).toEqual({
      state: "failed",
      step: "upload",
      reason: "stopped",
    });
  });

  test("legal moves: an outcome is final, an unknown outcome only comes from importing", () => {
    expect(canMove("importing", "outcome_unknown")).toBe(true);
    expect(canMove("sending", "outcome_unknown")).toBe(false);
    expect(canMove("outcome_unknown", "importing")).toBe(false);
    expect(canMove("previewing", "ready")).toBe(true);
    expect(() => assertMove("completed", "importing")).toThrow(
      "An import cannot go from completed to importing.",
    );
  });

  test("a file with no valid row is never ready", () => {
    const counts = { rows: 3, validRows: 0, invalidCount: 3, rejected: null };
    expect(afterPreview(counts, undefined)).toEqual({
      state: "failed",
      step: "preview",
      reason:
        "None of the file's 3 rows can be imported: the problems are listed below; fix them and upload the file again.",
    });
    expect(afterPreview({ ...counts, rows: 0, invalidCount: 0 }, undefined)).toMatchObject({
      reason: "The file holds no rows to import.",
    });
    expect(afterPreview({ ...counts, rejected: "The file is empty." }, undefined)).toMatchObject({
      reason: "The file is empty.",
    });
    // Typed by the schema, the same CSV can be imported.
    expect(afterPreview(counts, { ...counts, validRows: 3, invalidCount: 0 })).toEqual({ state: "ready" });
    expect(afterPreview({ ...counts, validRows: 2, invalidCount: 1 }, undefined)).toEqual({ state: "ready" });
  });

  test("the unknown outcome says what Convex reported and what the table holds now", () => {
    const state = failureState(importing, "append", "import", "The local backend stopped.", 150_000);
    if (state.state !== "outcome_unknown") throw new Error("expected an unknown outcome");
    expect(outcomeUnknownSentence(state, { counts: [{ table: "tasks", rows: 4012 }], problem: null })).toBe(
      "Outcome unknown: Convex last reported 4,000 of 150,000 rows; tasks holds 4,012 rows now. An append writes straight into the table, so rows written before it stopped stay: check them before sending this file again.",
    );
    expect(
      outcomeUnknownSentence(state, { counts: [], problem: "the deployment did not answer." }),
    ).toContain("the table's row count could not be read (the deployment did not answer)");
    expect(outcomeUnknownSentence(state, undefined)).toContain("counting the table's rows now…");
  });

  test("sending the same file again warns after an unknown outcome or a completed append", () => {
    const earlier = { targetTable: "tasks", mode: "append" as const };
    expect(repeatWarning([])).toBeNull();
    expect(repeatWarning([{ ...earlier, status: { state: "completed", rowsWritten: 3 } }])).toBe(
      "This same file was already appended to tasks: appending it again adds every row a second time.",
    );
    expect(
      repeatWarning([{ ...earlier, mode: "replace", status: { state: "completed", rowsWritten: 3 } }]),
    ).toBeNull();
    const state = failureState(importing, "append", "import", "stopped", 10);
    expect(repeatWarning([{ ...earlier, status: state }])).toMatch(
      /^An earlier import of this same file into tasks stopped with an unknown outcome/,
    );
  });
});
