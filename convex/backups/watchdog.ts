/**
 * The watchdog: a backup or restore step whose action died (a deploy, a restart, the action time
 * limit) never reports again, and its record would say "running" for ever. A cron ends every step
 * that has been silent for longer than the staleness window as failed, naming the step and what to
 * do. It reads only running records, through their heartbeat index, a bounded batch per tick.
 */
import { internalMutation } from "../lib/functions";
import { failStalledRestore, stalledRestores } from "./restore";
import {
  runningStep,
  STALLED_STEP_MS,
  stalledReason,
  transition,
  WATCHDOG_BATCH,
  type BackupState,
} from "./model/states";
import { auditBackup } from "./store";

export const failStalledSteps = internalMutation({
  args: {},
  handler: async (ctx) => {
    const now = Date.now();
    const cutoff = now - STALLED_STEP_MS;
    const backups = await ctx.db
      .query("backups")
      .withIndex("by_progress", (q) => q.gte("progressAt", 0).lt("progressAt", cutoff))
      .take(WATCHDOG_BATCH);
    for (const backup of backups) {
      const state = backup.status as BackupState;
      const step = runningStep(state);
      if (step === null) {
        await ctx.db.patch("backups", backup._id, { progressAt: undefined });
        continue;
      }
      const reason = stalledReason(now - backup.progressAt!);
      await ctx.db.patch("backups", backup._id, {
        status: transition(state, { type: "stepFailed", step, reason }),
        progressAt: undefined,
        finishedAt: now,
      });
      await auditBackup(ctx, null, "backup.stalled", backup, { step, reason });
    }
    const restores = await stalledRestores(ctx, cutoff, WATCHDOG_BATCH);
    for (const restore of restores) await failStalledRestore(ctx, restore, now);
    return { backups: backups.length, restores: restores.length };
  },
});
