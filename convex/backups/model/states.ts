import type { ConvexExport } from "../../deployment/read";
import type { RetentionOutcome } from "./retention";

/**
 * A backup's life: requested → exporting (Convex's progress message) → copying (the ZIP streamed
 * into the console's storage) → verifying → verified, or unverifiable (verification ran and found
 * the archive cannot be trusted to restore), or failed at a step with what to do, or canceled.
 * A verified or unverifiable backup can be verified again on demand.
 */

export type BackupStep = "export" | "copy" | "verify";

export type BackupState =
  | { state: "requested" }
  | { state: "exporting"; progressMessage: string | null }
  | { state: "copying"; bytesCopied: number; totalBytes: number | null }
  | { state: "verifying" }
  | { state: "verified" }
  | { state: "unverifiable"; reason: string }
  | { state: "failed"; step: BackupStep; reason: string; remedy: string }
  | { state: "canceled" };

export type BackupStateName = BackupState["state"];

export type BackupEvent =
  | { type: "exportProgress"; progressMessage: string | null }
  | { type: "exportCompleted"; sizeBytes: number | null }
  | { type: "copyProgress"; bytesCopied: number }
  | { type: "copied" }
  | { type: "verificationPassed" }
  | { type: "verificationFoundProblem"; reason: string }
  | { type: "verifyAgain" }
  | { type: "stepFailed"; step: BackupStep; reason: string }
  | { type: "canceled" };

export class BackupTransitionError extends Error {
  override name = "BackupTransitionError";
}

export const FINAL_STATES: readonly BackupStateName[] = ["verified", "unverifiable", "failed", "canceled"];

export function isFinal(state: BackupState): boolean {
  return FINAL_STATES.includes(state.state);
}

/** What an operator should do after a step failed. */
export const REMEDIES: Record<BackupStep, string> = {
  export:
    "Check that the deploy key is valid and allowed to create backups, and that no other export is running on the deployment, then take the backup again.",
  copy: "The export stays on the deployment until it expires: take the backup again, or retry the copy before then.",
  verify: "The stored copy is kept: run Verify again. If it keeps failing, take a new backup.",
};

/**
 * How long a running step may go without writing progress before the watchdog ends it as failed.
 * Every step writes at least every 15 s while it lives (polls, copy progress), and Convex kills an
 * action after 10 minutes, so a quarter of an hour of silence means the step's action is gone.
 * Backups and restores share this window.
 */
export const STALLED_STEP_MS = 15 * 60_000;

/** Records a watchdog tick ends; a backlog (after a long outage) is worked off over the next ticks. */
export const WATCHDOG_BATCH = 25;

/** The step a running backup is in, or null when it is final. */
export function runningStep(state: BackupState): BackupStep | null {
  switch (state.state) {
    case "requested":
    case "exporting":
      return "export";
    case "copying":
      return "copy";
    case "verifying":
      return "verify";
    default:
      return null;
  }
}

/** The failure reason the watchdog records (the record names the step beside it). */
export function stalledReason(silentMs: number): string {
  const minutes = Math.floor(silentMs / 60_000);
  return `It reported no progress for ${minutes} minutes: its action was cut off (a deploy, a restart or Convex's 10-minute action limit).`;
}

export function initialBackupState(): BackupState {
  return { state: "requested" };
}

/** The next state, or a BackupTransitionError naming the state and the event that does not fit. */
export function transition(current: BackupState, event: BackupEvent): BackupState {
  const refuse = (): never => {
    throw new BackupTransitionError(`A ${current.state} backup cannot take the event ${event.type}.`);
  };
  if (event.type === "stepFailed") {
    if (isFinal(current)) refuse();
    return { state: "failed", step: event.step, reason: event.reason, remedy: REMEDIES[event.step] };
  }
  if (event.type === "canceled") {
    return current.state === "requested" || current.state === "exporting" || current.state === "copying"
      ? { state: "canceled" }
      : refuse();
  }
  switch (current.state) {
    case "requested":
    case "exporting":
      if (event.type === "exportProgress")
        return { state: "exporting", progressMessage: event.progressMessage };
      if (event.type === "exportCompleted")
        return { state: "copying", bytesCopied: 0, totalBytes: event.sizeBytes };
      return refuse();
    case "copying":
      if (event.type === "copyProgress") {
        if (event.bytesCopied < current.bytesCopied) refuse();
        return { ...current, bytesCopied: event.bytesCopied };
      }
      if (event.type === "copied") return { state: "verifying" };
      return refuse();
    case "verifying":
      // An action cut off mid-verification never reports back; running it again is harmless.
      if (event.type === "verifyAgain") return { state: "verifying" };
      if (event.type === "verificationPassed") return { state: "verified" };
      if (event.type === "verificationFoundProblem") return { state: "unverifiable", reason: event.reason };
      return refuse();
    case "verified":
    case "unverifiable":
      return event.type === "verifyAgain" ? { state: "verifying" } : refuse();
    case "failed":
      // A verification that could not run can be retried: the stored copy is still there.
      return event.type === "verifyAgain" && current.step === "verify" ? { state: "verifying" } : refuse();
    case "canceled":
      return refuse();
  }
}

/**
 * The event a Convex `_exports` record means for a backup that is waiting on its export: progress,
 * completion (with the ZIP size when Convex reports it), failure or cancellation.
 */
export function eventForExport(exportRecord: ConvexExport): BackupEvent {
  switch (exportRecord.state) {
    case "requested":
      return { type: "exportProgress", progressMessage: null };
    case "in_progress":
      return { type: "exportProgress", progressMessage: exportRecord.progressMessage };
    case "completed":
      return {
        type: "exportCompleted",
        sizeBytes: exportRecord.size > 0n ? Number(exportRecord.size) : null,
      };
    case "failed":
      return { type: "stepFailed", step: "export", reason: "Convex reported the snapshot export as failed." };
    case "canceled":
      return { type: "canceled" };
  }
}

/** How retention sees a backup: only verified ones can be keepers; running ones are left alone. */
export function retentionOutcome(state: BackupState): RetentionOutcome {
  switch (state.state) {
    case "requested":
    case "exporting":
    case "copying":
    case "verifying":
      return "running";
    case "verified":
    case "unverifiable":
    case "failed":
    case "canceled":
      return state.state;
  }
}
