import { v } from "convex/values";
import { deleteOccConflictsOlderThan } from "./occConflicts";
import { internal } from "../_generated/api";
import type { MutationCtx } from "../_generated/server";
import { internalMutation } from "../lib/functions";
import { loadMetricSettings } from "../settings/read";
import { deleteErrorGroupBucketsOlderThan } from "./errorGroupBuckets";
import { HOUR_MS } from "./model/timeBuckets";
import { deleteUsageDaysOlderThan } from "../usage/read";
import { deleteLogsOlderThan } from "../logs/read";

/** Documents one sweep deletes per table; a sweep that fills a chunk schedules the next at once. */
export const SWEEP_CHUNK = 500;

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

async function deleteOlderThan(ctx: MutationCtx, table: TimedTable, cutoff: number): Promise<number> {
  const rows = await ctx.db
    .query(table)
    .withIndex("by_ts", (q) => q.lt("ts", cutoff))
    .take(SWEEP_CHUNK);
  for (const row of rows) await ctx.db.delete(table, row._id);
  return rows.length;
}

async function deleteStorageDaysOlderThan(ctx: MutationCtx, cutoff: number): Promise<number> {
  const rows = await ctx.db
    .query("storageBandwidth")
    .withIndex("by_day", (q) => q.lt("day", cutoff))
    .take(SWEEP_CHUNK);
  for (const row of rows) await ctx.db.delete("storageBandwidth", row._id);
  return rows.length;
}

/** Gauges are minute samples (scheduler lag, concurrency, storage usage), kept as long as minute rollups. */
async function deleteGaugesOlderThan(ctx: MutationCtx, cutoff: number): Promise<number> {
  const rows = await ctx.db
    .query("gauges")
    .withIndex("by_bucket", (q) => q.lt("bucket", cutoff))
    .take(SWEEP_CHUNK);
  for (const row of rows) await ctx.db.delete("gauges", row._id);
  return rows.length;
}

async function deleteRollupsOlderThan(
  ctx: MutationCtx,
  granularity: "minute" | "hour",
  cutoff: number,
): Promise<number> {
  const deployments = await ctx.db.query("watchedDeployments").take(50);
  let deleted = 0;
  for (const deployment of deployments) {
    const rows = await ctx.db
      .query("rollups")
      .withIndex("by_bucket", (q) =>
        q.eq("deployment", deployment.name).eq("granularity", granularity).lt("bucket", cutoff),
      )
      .take(SWEEP_CHUNK);
    for (const row of rows) await ctx.db.delete("rollups", row._id);
    deleted += rows.length;
    // Error-group buckets are the error lists' rollups, kept exactly as long.
    deleted += await deleteErrorGroupBucketsOlderThan(ctx, deployment.name, granularity, cutoff, SWEEP_CHUNK);
  }
  return deleted;
}

/** Keeps raw rows for the retention period and dedupe keys for the replay window; rollups far longer. */
export const sweep = internalMutation({
  args: { now: v.optional(v.number()) },
  handler: async (ctx, args) => {
    const now = args.now ?? Date.now();
    const settings = await loadMetricSettings(ctx);
    const rawCutoff = now - settings.rawRetentionMs;
    const deleted = {
      executions: await deleteOlderThan(ctx, "executions", rawCutoff),
      consoleLines: await deleteOlderThan(ctx, "consoleLines", rawCutoff),
      logs: await deleteLogsOlderThan(ctx, rawCutoff, SWEEP_CHUNK),
      slowLinesAwaitingExecution: await deleteOlderThan(ctx, "slowLinesAwaitingExecution", now - HOUR_MS),
      slowCalls: await deleteOlderThan(ctx, "slowCalls", now - 7 * 24 * HOUR_MS),
      seenBatches: await deleteOlderThan(ctx, "seenBatches", now - 2 * settings.replayWindowMs),
      minuteRollups: await deleteRollupsOlderThan(ctx, "minute", now - MINUTE_ROLLUP_RETENTION_MS),
      hourRollups: await deleteRollupsOlderThan(ctx, "hour", now - HOUR_ROLLUP_RETENTION_MS),
      occConflicts: await deleteOccConflictsOlderThan(ctx, now - HOUR_ROLLUP_RETENTION_MS, SWEEP_CHUNK),
      gauges: await deleteGaugesOlderThan(ctx, now - MINUTE_ROLLUP_RETENTION_MS),
      storageBandwidth: await deleteStorageDaysOlderThan(ctx, now - USAGE_AND_AUDIT_RETENTION_MS),
      deploymentAuditLog: await deleteOlderThan(
        ctx,
        "deploymentAuditLog",
        now - USAGE_AND_AUDIT_RETENTION_MS,
      ),
      usageDays: await deleteUsageDaysOlderThan(ctx, now - USAGE_AND_AUDIT_RETENTION_MS, SWEEP_CHUNK),
    };
    if (Object.values(deleted).some((count) => count >= SWEEP_CHUNK)) {
      await ctx.scheduler.runAfter(0, internal.metrics.retention.sweep, { now });
    }
    return deleted;
  },
});
