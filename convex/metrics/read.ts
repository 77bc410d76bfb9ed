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
import { bucketStart, HOUR_MS, MINUTE_MS, type Granularity } from "./model/timeBuckets";
import { DEPLOY_ACTION } from "./deploys";

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

/** One deployment's minute rollups over all functions in [from, to), at most `limit`. */
async function allFunctionMinutes(
  ctx: QueryCtx,
  deployment: string,
  range: { from: number; to: number; limit: number },
): Promise<Doc<"rollups">[]> {
  return await functionSeries(ctx, {
    deployment,
    functionPath: ALL_FUNCTIONS,
    granularity: "minute",
    ...range,
  });
}

/** The hour before `now` for one deployment: its minute rollups over all functions, and their totals. */
export async function lastHourHealth(
  ctx: QueryCtx,
  deployment: string,
  now: number,
): Promise<HourHealth & { minutes: Doc<"rollups">[]; slowCalls: number }> {
  const minutes = await allFunctionMinutes(ctx, deployment, {
    from: now - HOUR_MS,
    to: now,
    limit: MINUTE_BUCKETS_PER_HOUR,
  });
  return { minutes, ...healthOf(minutes) };
}

/** Whole minutes one alert evaluation may look back; five minutes of 300 functions stays far below the cap. */
const MAX_WINDOW_MINUTES = 60;
/** Minute rollups of every function in one window: 300 functions × (5 + 1) minutes fit with room. */
const MAX_FUNCTION_ROWS = 4000;

export type WindowHealth = HourHealth & { slowCalls: number };

function windowFrom(now: number, minutes: number): number {
  return bucketStart(now - Math.min(minutes, MAX_WINDOW_MINUTES) * MINUTE_MS, "minute");
}

function healthOf(rows: Doc<"rollups">[]): WindowHealth {
  const totals = sumTotals(rows);
  const summary = summarize(totals);
  return {
    calls: totals.calls,
    mutations: totals.mutations,
    errorRate: summary.errorRate,
    p95Ms: summary.p95Ms,
    occShare: occShare(totals),
    slowCalls: totals.slowCalls,
  };
}

/** The last `minutes` minutes (the minute still filling included) of one deployment over all functions. */
export async function recentWindowHealth(
  ctx: QueryCtx,
  deployment: string,
  now: number,
  minutes: number,
): Promise<WindowHealth> {
  const rows = await allFunctionMinutes(ctx, deployment, {
    from: windowFrom(now, minutes),
    // The minute still filling starts at or before `now`: the range ends just after it.
    to: now + 1,
    limit: MAX_WINDOW_MINUTES + 1,
  });
  return healthOf(rows);
}

/** The same window per function (one index range over the window's minutes), keyed by function path. */
export async function recentFunctionHealth(
  ctx: QueryCtx,
  deployment: string,
  now: number,
  minutes: number,
): Promise<Map<string, WindowHealth>> {
  const rows = await ctx.db
    .query("rollups")
    .withIndex("by_bucket", (q) =>
      q
        .eq("deployment", deployment)
        .eq("granularity", "minute")
        .gte("bucket", windowFrom(now, minutes))
        .lte("bucket", now),
    )
    .take(MAX_FUNCTION_ROWS);
  const byFunction = new Map<string, Doc<"rollups">[]>();
  for (const row of rows) {
    if (row.functionPath === ALL_FUNCTIONS) continue;
    byFunction.set(row.functionPath, [...(byFunction.get(row.functionPath) ?? []), row]);
  }
  return new Map([...byFunction].map(([path, functionRows]) => [path, healthOf(functionRows)]));
}

/** The highest scheduler lag (seconds) over the window, or null when the deployment reported none. */
export async function recentSchedulerLag(
  ctx: QueryCtx,
  deployment: string,
  now: number,
  minutes: number,
): Promise<number | null> {
  const rows = await ctx.db
    .query("gauges")
    .withIndex("by_metric", (q) =>
      q.eq("deployment", deployment).eq("metric", "lag_seconds").gte("bucket", windowFrom(now, minutes)),
    )
    .take(MAX_WINDOW_MINUTES + 1);
  return rows.length === 0 ? null : Math.max(...rows.map((row) => row.max));
}
export { signBody } from "./model/logStream";
export { occConflictsOfFunction } from "./occConflicts";

/**
 * The deployment's scheduler lag (the `scheduler_stats` gauge's highest value each minute) over
 * [from, to), oldest first: Convex reports it per deployment, not per scheduled run.
 */
export async function schedulerLagSeries(
  ctx: QueryCtx,
  { deployment, from, to }: { deployment: string; from: number; to: number },
): Promise<Array<{ bucket: number; maxSeconds: number }>> {
  const rows = await ctx.db
    .query("gauges")
    .withIndex("by_metric", (q) =>
      q.eq("deployment", deployment).eq("metric", "lag_seconds").gte("bucket", from).lt("bucket", to),
    )
    .take(MAX_WINDOW_MINUTES + 1);
  return rows.map((row) => ({ bucket: row.bucket, maxSeconds: row.max }));
}

/** Deploys (`push_config`) of one deployment in [from, to], newest first, at most `limit`. */
export async function deploysInRange(
  ctx: QueryCtx,
  { deployment, from, to, limit }: { deployment: string; from: number; to: number; limit: number },
): Promise<Doc<"deploymentAuditLog">[]> {
  return await ctx.db
    .query("deploymentAuditLog")
    .withIndex("by_deployment_action_ts", (q) =>
      q.eq("deployment", deployment).eq("action", DEPLOY_ACTION).gte("ts", from).lte("ts", to),
    )
    .order("desc")
    .take(limit);
}

/** One function's rollups over [from, to): buckets × 1 rows, at most `limit`. */
export async function functionSeries(
  ctx: QueryCtx,
  args: {
    deployment: string;
    functionPath: string;
    granularity: Granularity;
    from: number;
    to: number;
    limit: number;
  },
): Promise<Doc<"rollups">[]> {
  const { deployment, functionPath, granularity, from, to, limit } = args;
  return await ctx.db
    .query("rollups")
    .withIndex("by_scope", (q) =>
      q
        .eq("deployment", deployment)
        .eq("granularity", granularity)
        .eq("functionPath", functionPath)
        .gte("bucket", bucketStart(from, granularity))
        .lt("bucket", to),
    )
    .take(limit);
}

/** One function's newest slow calls in [from, to). */
export async function slowCallsOfFunction(
  ctx: QueryCtx,
  args: { deployment: string; functionPath: string; from: number; to: number; limit: number },
): Promise<Doc<"slowCalls">[]> {
  const { deployment, functionPath, from, to, limit } = args;
  return await ctx.db
    .query("slowCalls")
    .withIndex("by_function_ts", (q) =>
      q.eq("deployment", deployment).eq("functionPath", functionPath).gte("ts", from).lt("ts", to),
    )
    .order("desc")
    .take(limit);
}

type CallWindow = {
  deployment: string;
  functionPath: string | null;
  from: number;
  to: number;
  limit: number;
};

/**
 * A deployment's (or one of its functions') failing calls in [from, to), newest first. A function's
 * are the deployment's failures filtered, so its read is bounded by the deployment's failures in the window.
 */
export async function failingCallsInWindow(ctx: QueryCtx, args: CallWindow): Promise<Doc<"executions">[]> {
  const { deployment, functionPath, from, to, limit } = args;
  const query = ctx.db
    .query("executions")
    .withIndex("by_deployment_status_ts", (q) =>
      q.eq("deployment", deployment).eq("status", "failure").gte("ts", from).lt("ts", to),
    )
    .order("desc");
  return await (
    functionPath === null ? query : query.filter((q) => q.eq(q.field("functionPath"), functionPath))
  ).take(limit);
}

/** A deployment's (or one of its functions') slow calls in [from, to), newest first. */
export async function slowCallsInWindow(ctx: QueryCtx, args: CallWindow): Promise<Doc<"slowCalls">[]> {
  const { deployment, functionPath, from, to, limit } = args;
  if (functionPath !== null)
    return await slowCallsOfFunction(ctx, { deployment, functionPath, from, to, limit });
  return await ctx.db
    .query("slowCalls")
    .withIndex("by_deployment_ts", (q) => q.eq("deployment", deployment).gte("ts", from).lt("ts", to))
    .order("desc")
    .take(limit);
}

/** One function's error groups, most recently failing first. */
export async function errorGroupsOfFunction(
  ctx: QueryCtx,
  args: { deployment: string; functionPath: string; limit: number },
): Promise<Doc<"errorGroups">[]> {
  return await ctx.db
    .query("errorGroups")
    .withIndex("by_function_last_seen", (q) =>
      q.eq("deployment", args.deployment).eq("functionPath", args.functionPath),
    )
    .order("desc")
    .take(args.limit);
}

/** Error groups whose first failure fell in [from, to), oldest first. */
export async function errorGroupsFirstSeen(
  ctx: QueryCtx,
  args: { deployment: string; from: number; to: number; limit: number },
): Promise<Doc<"errorGroups">[]> {
  return await ctx.db
    .query("errorGroups")
    .withIndex("by_deployment_first_seen", (q) =>
      q.eq("deployment", args.deployment).gte("firstSeen", args.from).lt("firstSeen", args.to),
    )
    .take(args.limit);
}

/** A page of per-function minute rollups over [from, to), for work chunked across mutations. */
export async function functionRollupsPage(
  ctx: QueryCtx,
  args: { deployment: string; from: number; to: number; cursor: string | null; numItems: number },
) {
  return await ctx.db
    .query("rollups")
    .withIndex("by_bucket", (q) =>
      q
        .eq("deployment", args.deployment)
        .eq("granularity", "minute")
        .gte("bucket", args.from)
        .lt("bucket", args.to),
    )
    .paginate({ cursor: args.cursor, numItems: args.numItems });
}

export { ALL_FUNCTIONS } from "./model/rollups";
export { emptyTotals, mergeTotals, type RollupTotals } from "./model/rollups";
export { summarize, sumTotals } from "./model/dashboardMath";
