import { describe, expect, test } from "vitest";
import { parseConvexExport, type ConvexExport } from "../../deployment/model/exports";
import {
  eventForExport,
  initialBackupState,
  REMEDIES,
  retentionOutcome,
  transition,
  type BackupEvent,
  type BackupState,
} from "./states";

const run = (events: BackupEvent[], from: BackupState = initialBackupState()) =>
  events.reduce(transition, from);

describe("backup state machine", () => {
  test("the happy path: requested → exporting → copying → verifying → verified", () => {
    const states = [
      { type: "exportProgress", progressMessage: "Beginning backup" },
      { type: "exportProgress", progressMessage: "Backing up tasks: 1,234 / 5,678 documents" },
      { type: "exportCompleted", sizeBytes: 5000 },
      { type: "copyProgress", bytesCopied: 2500 },
      { type: "copied" },
      { type: "verificationPassed" },
    ].reduce<BackupState[]>(
      (acc, event) => [...acc, transition(acc.at(-1)!, event as BackupEvent)],
      [initialBackupState()],
    );
    expect(states).toEqual([
      { state: "requested" },
      { state: "exporting", progressMessage: "Beginning backup" },
      { state: "exporting", progressMessage: "Backing up tasks: 1,234 / 5,678 documents" },
      { state: "copying", bytesCopied: 0, totalBytes: 5000 },
      { state: "copying", bytesCopied: 2500, totalBytes: 5000 },
      { state: "verifying" },
      { state: "verified" },
    ]);
  });

  test("a problem found by verification makes the backup unverifiable, with the reason", () => {
    const state = run([
      { type: "exportCompleted", sizeBytes: null },
      { type: "copied" },
      { type: "verificationFoundProblem", reason: "Entry x failed its CRC-32 check." },
    ]);
    expect(state).toEqual({ state: "unverifiable", reason: "Entry x failed its CRC-32 check." });
  });

  test("a failed step records the step, the reason and what to do", () => {
    expect(
      run([{ type: "stepFailed", step: "export", reason: "An export is already running on prod." }]),
    ).toEqual({
      state: "failed",
      step: "export",
      reason: "An export is already running on prod.",
      remedy: REMEDIES.export,
    });
    const copyFailed = run([
      { type: "exportCompleted", sizeBytes: 10 },
      { type: "stepFailed", step: "copy", reason: "The download stopped." },
    ]);
    expect(copyFailed).toMatchObject({
      state: "failed",
      step: "copy",
      remedy: expect.stringMatching(/retry the copy/),
    });
  });

  test("verified and unverifiable backups can be verified again; a verify that could not run can be retried", () => {
    expect(transition({ state: "verified" }, { type: "verifyAgain" })).toEqual({ state: "verifying" });
    expect(transition({ state: "unverifiable", reason: "x" }, { type: "verifyAgain" })).toEqual({
      state: "verifying",
    });
    const verifyFailed = transition(
      { state: "verifying" },
      { type: "stepFailed", step: "verify", reason: "storage read failed" },
    );
    expect(transition(verifyFailed, { type: "verifyAgain" })).toEqual({ state: "verifying" });
    expect(() =>
      transition({ state: "failed", step: "export", reason: "x", remedy: "y" }, { type: "verifyAgain" }),
    ).toThrow("A failed backup cannot take the event verifyAgain.");
  });

  test("a verification cut off mid-way (its action stopped) can be started again instead of blocking every later backup", () => {
    expect(transition({ state: "verifying" }, { type: "verifyAgain" })).toEqual({ state: "verifying" });
  });

  test("out-of-order events are refused, naming state and event", () => {
    expect(() => transition({ state: "requested" }, { type: "copied" })).toThrow(
      "A requested backup cannot take the event copied.",
    );
    expect(() =>
      transition({ state: "verified" }, { type: "exportProgress", progressMessage: null }),
    ).toThrow(/verified/);
    expect(() =>
      transition({ state: "canceled" }, { type: "stepFailed", step: "export", reason: "x" }),
    ).toThrow(/canceled/);
    expect(() =>
      transition(
        { state: "copying", bytesCopied: 10, totalBytes: null },
        { type: "copyProgress", bytesCopied: 5 },
      ),
    ).toThrow();
    expect(() => transition({ state: "verifying" }, { type: "canceled" })).toThrow(
      /verifying backup cannot take the event canceled/,
    );
  });

  test("cancel works until the copy is done", () => {
    for (const from of [
      { state: "requested" },
      { state: "exporting", progressMessage: null },
      { state: "copying", bytesCopied: 0, totalBytes: null },
    ] as BackupState[]) {
      expect(transition(from, { type: "canceled" })).toEqual({ state: "canceled" });
    }
  });

  test("retention sees running backups as running and final ones as themselves", () => {
    expect(retentionOutcome({ state: "copying", bytesCopied: 0, totalBytes: null })).toBe("running");
    expect(retentionOutcome({ state: "verified" })).toBe("verified");
    expect(retentionOutcome({ state: "unverifiable", reason: "x" })).toBe("unverifiable");
  });
});

describe("Convex _exports records", () => {
  const base = {
    format: { format: "zip", include_storage: true },
    component: null,
    requestor: "snapshotExport",
    _id: "x",
    _creationTime: 1,
  };
  const parsed = (value: unknown): ConvexExport => {
    const result = parseConvexExport(value);
    if (!result.ok || result.export === null) throw new Error(JSON.stringify(result));
    return result.export;
  };

  test("each Rust state parses with its fields, bigints in nanoseconds", () => {
    expect(parsed({ ...base, state: "requested", expiration_ts: 5n })).toEqual({
      state: "requested",
      includeStorage: true,
      expirationTs: 5n,
    });
    expect(
      parsed({
        ...base,
        state: "in_progress",
        start_ts: 1n,
        expiration_ts: 5n,
        progress_message: "Backing up tasks",
      }),
    ).toEqual({
      state: "in_progress",
      includeStorage: true,
      startTs: 1n,
      expirationTs: 5n,
      progressMessage: "Backing up tasks",
    });
    expect(
      parsed({
        ...base,
        state: "completed",
        start_ts: 1715973841548000000n,
        complete_ts: 2n,
        expiration_ts: 3n,
        zip_object_key: "k",
        size: 4096n,
      }),
    ).toEqual({
      state: "completed",
      includeStorage: true,
      startTs: 1715973841548000000n,
      completeTs: 2n,
      expirationTs: 3n,
      size: 4096n,
    });
    expect(
      parsed({ ...base, state: "completed", start_ts: 1n, complete_ts: 2n, expiration_ts: 3n }),
    ).toMatchObject({ size: 0n });
    expect(parsed({ ...base, state: "failed", start_ts: 1n, failed_ts: 2n })).toEqual({
      state: "failed",
      includeStorage: true,
      startTs: 1n,
      failedTs: 2n,
    });
    expect(parsed({ ...base, state: "cancelled", start_ts: null, canceled_ts: 2n })).toEqual({
      state: "canceled",
      includeStorage: true,
      startTs: null,
      canceledTs: 2n,
    });
  });

  test("no export yet is null; malformed records say what is wrong", () => {
    expect(parseConvexExport(null)).toEqual({ ok: true, export: null });
    expect(parseConvexExport({ ...base, state: "exploded" })).toEqual({
      ok: false,
      reason: 'the export is in an unknown state "exploded"',
    });
    expect(parseConvexExport({ ...base, state: "completed", start_ts: 1n })).toEqual({
      ok: false,
      reason: "the completed export has no complete_ts",
    });
    expect(parseConvexExport("x")).toEqual({ ok: false, reason: "the export record is not an object" });
  });

  test("export states map to backup events", () => {
    expect(
      eventForExport(
        parsed({ ...base, state: "in_progress", start_ts: 1n, expiration_ts: 5n, progress_message: null }),
      ),
    ).toEqual({
      type: "exportProgress",
      progressMessage: null,
    });
    expect(
      eventForExport(
        parsed({ ...base, state: "completed", start_ts: 1n, complete_ts: 2n, expiration_ts: 3n, size: 10n }),
      ),
    ).toEqual({
      type: "exportCompleted",
      sizeBytes: 10,
    });
    expect(
      eventForExport(
        parsed({ ...base, state: "completed", start_ts: 1n, complete_ts: 2n, expiration_ts: 3n }),
      ),
    ).toEqual({
      type: "exportCompleted",
      sizeBytes: null,
    });
    expect(eventForExport(parsed({ ...base, state: "failed", start_ts: 1n, failed_ts: 2n }))).toMatchObject({
      type: "stepFailed",
      step: "export",
    });
    expect(eventForExport(parsed({ ...base, state: "canceled", start_ts: 1n, canceled_ts: 2n }))).toEqual({
      type: "canceled",
    });
  });
});
