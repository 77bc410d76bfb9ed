/** What other domains may read of imports: whether one is writing into a deployment now. */
import type { QueryCtx } from "../_generated/server";
import { formatUtcClock } from "../users/lockout";
import { IMPORT_STATE_LABELS } from "./shared";

/** Imports looked at: far more than can be in flight at once, since only one runs at a time. */
const RECENT_IMPORTS = 20;

/** From the pre-import backup until Convex ends it, an import holds its deployment. */
export const IMPORT_IN_FLIGHT_STATES = ["backing_up", "sending", "waiting_for_confirmation", "importing"];

/**
 * The import in flight into `deployment` (sent, or waiting for its confirmation), as the sentence a
 * refused restore shows; null when there is none.
 */
export async function importInFlightSentence(ctx: QueryCtx, deployment: string): Promise<string | null> {
  const recent = await ctx.db.query("imports").withIndex("by_requested").order("desc").take(RECENT_IMPORTS);
  const running = recent.find(
    (row) => row.deployment === deployment && IMPORT_IN_FLIGHT_STATES.includes(row.status.state),
  );
  if (running === undefined) return null;
  const target = running.targetTable ?? "the tables of a ZIP";
  const state = IMPORT_STATE_LABELS[running.status.state].toLowerCase();
  return `An import of ${running.fileName} into ${target} started by ${running.requestedBy} at ${formatUtcClock(running.requestedAt)} is ${state} on ${deployment}; wait for it or cancel it.`;
}
