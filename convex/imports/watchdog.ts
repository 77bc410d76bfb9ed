/**
 * The imports' watchdog: an import whose action died never reports again and would say "Sending"
 * or "Importing" for ever. A cron fails every import silent for longer than the window backups and
 * restores use, naming the step and what happened, through its heartbeat index, a bounded batch
 * per tick.
 */
import { STALLED_STEP_MS, stalledReason, WATCHDOG_BATCH } from "../backups/read";
import { internalMutation } from "../lib/functions";
import { moveImport } from "./flow";
import { WORKING_STEPS } from "./model/progress";

export const failStalledImports = internalMutation({
  args: {},
  handler: async (ctx) => {
    const now = Date.now();
    const stalled = await ctx.db
      .query("imports")
      .withIndex("by_progress", (q) => q.gte("progressAt", 0).lt("progressAt", now - STALLED_STEP_MS))
      .take(WATCHDOG_BATCH);
    for (const row of stalled) {
      const step = WORKING_STEPS[row.status.state];
      if (step === undefined) {
        await ctx.db.patch("imports", row._id, { progressAt: undefined });
        continue;
      }
      await moveImport(ctx, row, { state: "failed", step, reason: stalledReason(now - row.progressAt!) });
    }
    return { imports: stalled.length };
  },
});
