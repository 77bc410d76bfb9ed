/**
 * Read helpers other domains use for metrics data (runbook evidence, later alerts), so nobody
 * re-queries the metrics tables with their own limits. Every read is bounded: one hour of minute
 * rollups, and the watched deployments up to a fixed count.
 */
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { occShare, summarize, sumTotals } from "./model/dashboardMath";
import type { HourHealth } from "./model/health";
import { ALL_FUNCTIONS } from "./model/rollups";
import { bucketStart, HOUR_MS, MINUTE_MS } from "./model/timeBuckets";

/** More deployments than one console watches in practice; the picker lists at most this many. */
const MAX_WATCHED_DEPLOYMENTS = 50;
/** An hour before `now` starts inside a minute, so it touches one minute bucket more than 60. */
const MINUTE_BUCKETS_PER_HOUR = HOUR_MS / MINUTE_MS + 1;

/** Deployments streaming here, newest activity first. */
export async function watchedDeploymentsByActivity(ctx: QueryCtx): Promise<Doc<"watchedDeployments">[]> {
  const rows = await ctx.db.query("watchedDeployments").take(MAX_WATCHED_DEPLOYMENTS);
  return rows.sort((a, b) => b.lastEventAt - a.lastEventAt);
}

/** The deployment that streamed most recently, or null before any did. */
export async function mostRecentDeployment(ctx: QueryCtx): Promise<Doc<"watchedDeployments"> | null> {
  return (await watchedDeploymentsByActivity(ctx))[0] ?? null;
}

/** The hour before `now` for one deployment: its minute rollups over all functions, and their totals. */
export async function lastHourHealth(
  ctx: QueryCtx,
  deployment: string,
  now: number,
): Promise<HourHealth & { minutes: Doc<"rollups">[]; slowCalls: number }> {
  const minutes = await ctx.db
    .query("rollups")
    .withIndex("by_scope", (q) =>
      q
        .eq("deployment", deployment)
        .eq("granularity", "minute")
        .eq("functionPath", ALL_FUNCTIONS)
        .gte("bucket", bucketStart(now - HOUR_MS, "minute"))
        .lt("bucket", now),
    )
    .take(MINUTE_BUCKETS_PER_HOUR);
  const totals = sumTotals(minutes);
  const summary = summarize(totals);
  return {
    minutes,
    calls: totals.calls,
    mutations: totals.mutations,
    errorRate: summary.errorRate,
    p95Ms: summary.p95Ms,
    occShare: occShare(totals),
    slowCalls: totals.slowCalls,
  };
}
