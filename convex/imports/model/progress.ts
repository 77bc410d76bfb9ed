/**
 * An import's heartbeat: while an action works on it, each step writes `progressAt`, so a record
 * that stays silent too long belongs to an action that died (a deploy, a restart, the action time
 * limit) and the watchdog can end it.
 */
import type { ImportStateName } from "../shared";

/**
 * The step an action is working on in each state, for a failure's record. States missing here wait
 * for a person (upload, confirmation) or have ended, so silence in them is not a dead action.
 */
export const WORKING_STEPS: Partial<Record<ImportStateName, string>> = {
  previewing: "preview",
  backing_up: "pre-import backup",
  sending: "upload",
  importing: "import",
};

/** The heartbeat for a state: `now` while an action works on it, unset otherwise. */
export function progressAtFor(state: ImportStateName, now: number): number | undefined {
  return WORKING_STEPS[state] === undefined ? undefined : now;
}
