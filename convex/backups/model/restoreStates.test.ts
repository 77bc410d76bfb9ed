import { describe, expect, test } from "vitest";
import {
  canMoveRestore,
  isRestoreFinal,
  restoreFailure,
  restoreHasRunningStep,
  type RestoreStateName,
} from "./restoreStates";

describe("restore state machine", () => {
  test("the path with the admin's pause: nothing moves from waiting except an admin's decision or Convex failing it", () => {
    const path: RestoreStateName[] = [
      "backing_up",
      "uploading",
      "importing",
      "waiting_for_confirmation",
      "importing",
      "completed",
    ];
    for (let i = 1; i < path.length; i++) expect(canMoveRestore(path[i - 1]!, path[i]!)).toBe(true);
    expect(canMoveRestore("waiting_for_confirmation", "canceled")).toBe(true);
    expect(canMoveRestore("waiting_for_confirmation", "completed")).toBe(false);
    expect(canMoveRestore("waiting_for_confirmation", "waiting_for_confirmation")).toBe(false);
    expect(canMoveRestore("uploading", "canceled")).toBe(false);
  });

  test("a late step never rewrites a final restore", () => {
    for (const final of ["completed", "failed", "canceled"] as const) {
      expect(isRestoreFinal(final)).toBe(true);
      for (const next of ["importing", "failed", "completed", "waiting_for_confirmation"] as const) {
        expect(canMoveRestore(final, next)).toBe(false);
      }
    }
  });

  test("only steps driven by an action are watched; a restore waiting for the admin is not", () => {
    expect(restoreHasRunningStep("uploading")).toBe(true);
    expect(restoreHasRunningStep("importing")).toBe(true);
    expect(restoreHasRunningStep("waiting_for_confirmation")).toBe(false);
    expect(restoreHasRunningStep("completed")).toBe(false);
  });

  test("a failure says what happened, then what to do", () => {
    expect(restoreFailure("upload", "Part 3 was refused.")).toEqual({
      state: "failed",
      step: "upload",
      reason: expect.stringMatching(/^Part 3 was refused\. Nothing was changed on the deployment/),
    });
  });
});
