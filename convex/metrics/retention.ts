import { v } from "convex/values";
import { deleteOccConflictsOlderThan } from "./occConflicts";
import { internal } from "../_generated/api";
import type { MutationCtx } from "../_generated/server";
import { internalMutation } from "../lib/functions";
import { deleteRange, sweepInChunks } from "../lib/sweep";
import { loadMetricSettings } from "../settings/read";
import { deleteErrorGroupBucketsOlderThan } from "./errorGroupBuckets";
import { HOUR_MS } from "./model/timeBuckets";
import { deleteUsageDaysOlderThan } from "../usage/read";
import { deleteLogsOlderThan } from "../logs/read";

export { SWEEP_CHUNK } from "../lib/sweep";

/**
 * Minute rollups serve 24 hours of charts; the extra hour lets the 24-hour function window subtract
 * a minute before the sweep may delete it (functionWindows.ts).
 */
export const MINUTE_ROLLUP_RETENTION_MS = 25 * HOUR_MS;
/** Hour rollups serve the 7-day and 30-day charts and the 7-day function window. */
export const HOUR_ROLLUP_RETENTION_MS = 30 * 24 * HOUR_MS;
/** Daily storage egress and the deployment's own audit events (deploys) are kept for the usage year. */
const USAGE_AND_AUDIT_RETENTION_MS = 400 * 24 * HOUR_MS;

type TimedTable =
  | "executions"
  | "consoleLines"
  | "slowCalls"
  | "seenBatches"
  | "slowLinesAwaitingExecution"
  | "deploymentAuditLog";

function olderThan(ctx: MutationCtx, table: TimedTable, cutoff: number) {
  return (limit: number) =>
    deleteRange(ctx, table, (q) => q.withIndex("by_ts", (r) => r.lt("ts", cutoff)), limit);
}

function rollupsOlderThan(ctx: MutationCtx, granularity: "minute" | "hour", cutoff: number) {
  return async (limit: number) => {
    const deployments = await ctx.db.query("watchedDeployments").take(50);
    let deleted = 0;
    for (const deployment of deployments) {
      deleted += await deleteRange(
        ctx,
        "rollups",
        (q) =>
          q.withIndex("by_bucket", (r) =>
            r.eq("deployment", deployment.name).eq("granularity", granularity).lt("bucket", cutoff),
          ),
        limit,
      );
      // Error-group buckets are the error lists' rollups, kept exactly as long.
      deleted += await deleteErrorGroupBucketsOlderThan(ctx, deployment.name, granularity, cutoff, limit);
    }
    return deleted;
  };
}

/** Keeps raw rows for the retention period and dedupe keys for the replay window; rollups far longer. */
export const sweep = internalMutation({
  args: { now: v.optional(v.number()) },
  // Annotated: the sweep schedules itself, so its type cannot be inferred from its own body.
  handler: async (ctx, args): Promise<Record<string, number>> => {
    const now = args.now ?? Date.now();
    const settings = await loadMetricSettings(ctx);
    const rawCutoff = now - settings.rawRetentionMs;
    const usageCutoff = now - USAGE_AND_AUDIT_RETENTION_MS;
    return await sweepInChunks(
      ctx,
      {
        executions: olderThan(ctx, "executions", rawCutoff),
        consoleLines: olderThan(ctx, "consoleLines", rawCutoff),
        logs: (limit) => deleteLogsOlderThan(ctx, rawCutoff, limit),
        slowLinesAwaitingExecution: olderThan(ctx, "slowLinesAwaitingExecution", now - HOUR_MS),
        slowCalls: olderThan(ctx, "slowCalls", now - 7 * 24 * HOUR_MS),
        seenBatches: olderThan(ctx, "seenBatches", now - 2 * settings.replayWindowMs),
        minuteRollups: rollupsOlderThan(ctx, "minute", now - MINUTE_ROLLUP_RETENTION_MS),
        hourRollups: rollupsOlderThan(ctx, "hour", now - HOUR_ROLLUP_RETENTION_MS),
        // Gauges are minute samples (scheduler lag, concurrency, storage usage), kept as long as minute rollups.
        gauges: (limit) =>
          deleteRange(
            ctx,
            "gauges",
            (q) => q.withIndex("by_bucket", (r) => r.lt("bucket", now - MINUTE_ROLLUP_RETENTION_MS)),
            limit,
          ),
        storageBandwidth: (limit) =>
          deleteRange(
            ctx,
            "storageBandwidth",
            (q) => q.withIndex("by_day", (r) => r.lt("day", usageCutoff)),
            limit,
          ),
        deploymentAuditLog: olderThan(ctx, "deploymentAuditLog", usageCutoff),
        occConflicts: (limit) => deleteOccConflictsOlderThan(ctx, now - HOUR_ROLLUP_RETENTION_MS, limit),
        usageDays: (limit) => deleteUsageDaysOlderThan(ctx, usageCutoff, limit),
      },
      { fn: internal.metrics.retention.sweep, args: { now } },
    );
  },
});
