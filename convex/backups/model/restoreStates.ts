/**
 * A restore's life: backing_up (a pre-restore backup, to verified) → uploading (the stored ZIP in
 * parts) → importing (Convex reads the upload) → waiting_for_confirmation (Convex's summary of what
 * the import creates and deletes, shown to the admin; nothing moves until an admin presses Perform
 * import or Cancel) → importing (confirmed) → completed, or failed at a step with what to do, or
 * canceled by an admin while it waited.
 */

export type RestoreState =
  | { state: "backing_up" }
  | { state: "uploading"; bytesUploaded: number; totalBytes: number | null }
  | { state: "waiting_for_confirmation" }
  | { state: "importing"; progressMessage: string }
  | { state: "completed"; rowsWritten: number }
  | { state: "failed"; step: string; reason: string }
  | { state: "canceled"; by: string };

export type RestoreStateName = RestoreState["state"];

const NEXT: Record<RestoreStateName, readonly RestoreStateName[]> = {
  backing_up: ["backing_up", "uploading", "failed"],
  uploading: ["uploading", "importing", "failed"],
  importing: ["importing", "waiting_for_confirmation", "completed", "failed"],
  // Only an admin moves a waiting import on; Convex may still fail it (e.g. it expired).
  waiting_for_confirmation: ["importing", "canceled", "failed"],
  completed: [],
  failed: [],
  canceled: [],
};

/** Whether a restore may move from one state to another; a late step never rewrites a final one. */
export function canMoveRestore(from: RestoreStateName, to: RestoreStateName): boolean {
  return NEXT[from].includes(to);
}

export const isRestoreFinal = (state: RestoreStateName) => NEXT[state].length === 0;

/**
 * True while a scheduled action owns the restore's next step, so silence means it died. A restore
 * waiting for the admin has no action running and may wait as long as Convex keeps the import.
 */
export const restoreHasRunningStep = (state: RestoreStateName) =>
  state === "backing_up" || state === "uploading" || state === "importing";

/** What a restore's step names mean to the admin, and what to do when it stopped there. */
export const RESTORE_REMEDIES: Record<string, string> = {
  "pre-restore backup":
    "Nothing was changed on the deployment: take a backup that verifies, then restore again.",
  upload:
    "Nothing was changed on the deployment: the upload is discarded by Convex. Start the restore again.",
  import:
    "Check the deployment's data page: Convex applies an import in one transaction, so either every table was replaced or none. Then restore again if needed.",
};

/** The failure sentence for a restore step: what happened, then what to do. */
export function restoreFailure(step: string, reason: string): RestoreState {
  const remedy = RESTORE_REMEDIES[step];
  return { state: "failed", step, reason: remedy ? `${reason} ${remedy}` : reason };
}
