import { internalMutation } from "../lib/functions";
import { ensureCurrentRuns } from "./store";

/**
 * Runs at least hourly: creates each recurring checklist's run soon after its period starts, so a
 * period nobody opened still leaves a run (overdue once it ends) in the history.
 */
export const startPeriods = internalMutation({
  args: {},
  handler: async (ctx) => {
    return { created: await ensureCurrentRuns(ctx, null, Date.now()) };
  },
});
