/**
 * The queries behind Overview, Slow queries and Errors. Charts and tables read rollups, never raw
 * executions; lists read an index range with a limit. What each reads is bounded by the time range
 * and the number of functions, not by how many events were ingested.
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { occShare, summarize, sumTotals } from "./model/dashboardMath";
import { appError } from "../lib/errors";
import { viewerQuery } from "../lib/functions";
import { loadMetricSettings } from "../settings/read";
import { lastHourHealth, watchedDeploymentsByActivity } from "./read";
import { errorGroupCallsInRange, errorGroupsInRange } from "./errorGroupBuckets";
import { recentRate } from "./model/rate";
import { ALL_FUNCTIONS, type RollupTotals } from "./model/rollups";
import { functionWindowRows } from "./functionWindows";
import { bucketStart, granularityForRange, HOUR_MS, MINUTE_MS, type Granularity } from "./model/timeBuckets";

const MAX_RANGE_MS = 7 * 24 * HOUR_MS;
/** Per-function rollup rows a custom range reads at most; a page range reads the per-range summaries. */
const MAX_FUNCTION_ROWS = 2000;
const MAX_SLOW_CALLS = 500;
const MAX_TIMELINE_ROWS = 100;

const rangeArgs = { deployment: v.string(), from: v.number(), to: v.number() };

function checkRange(from: number, to: number): void {
  if (!(to > from)) throw appError("VALIDATION_ERROR", "The time range must end after it starts.");
  if (to - from > MAX_RANGE_MS) throw appError("VALIDATION_ERROR", "The time range can be at most 7 days.");
}

async function allFunctionsSeries(
  ctx: QueryCtx,
  deployment: string,
  granularity: Granularity,
  from: number,
  to: number,
) {
  return await ctx.db
    .query("rollups")
    .withIndex("by_scope", (q) =>
      q
        .eq("deployment", deployment)
        .eq("granularity", granularity)
        .eq("functionPath", ALL_FUNCTIONS)
        .gte("bucket", bucketStart(from, granularity))
        .lt("bucket", to),
    )
    .collect();
}

function seriesPoint(row: Doc<"rollups">) {
  const summary = summarize(row);
  return {
    bucket: row.bucket,
    calls: row.calls,
    slowCalls: row.slowCalls,
    failures: row.failures,
    failuresByCode: row.failuresByCode,
    errorRate: summary.errorRate,
    p95Ms: summary.p95Ms,
    occShare: occShare(row),
  };
}

/** Deployments streaming here, newest activity first, for the deployment picker. */
export const deployments = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const rows = await watchedDeploymentsByActivity(ctx);
    return rows.map((row) => ({ name: row.name, type: row.type, lastEventAt: row.lastEventAt }));
  },
});

/** Overview tiles: the last hour by minute; the alert rules judge them (alerts `tiles`). */
export const overview = viewerQuery({
  args: { deployment: v.string(), now: v.number() },
  handler: async (ctx, { deployment, now }) => {
    const from = now - HOUR_MS;
    const health = await lastHourHealth(ctx, deployment, now);
    const lag = await ctx.db
      .query("gauges")
      .withIndex("by_metric", (q) =>
        q.eq("deployment", deployment).eq("metric", "lag_seconds").gte("bucket", from),
      )
      .collect();
    const stream = await ctx.db
      .query("watchedDeployments")
      .withIndex("by_name", (q) => q.eq("name", deployment))
      .unique();
    return {
      slowThresholds: (await loadMetricSettings(ctx)).slow,
      calls: health.calls,
      mutations: health.mutations,
      requestsPerMinute: health.calls / 60,
      recentRate: recentRate(health.minutes, now),
      errorRate: health.errorRate,
      p95Ms: health.p95Ms,
      occShare: health.occShare,
      slowCallsLastHour: health.slowCalls,
      schedulerLagSeconds: lag.length === 0 ? null : lag[lag.length - 1]!.value,
      schedulerLagSeries: lag.map((row) => ({ bucket: row.bucket, value: row.max })),
      lastEventAt: stream?.lastEventAt ?? null,
      lastVerificationAt: stream?.lastVerificationAt ?? null,
      series: health.minutes.map(seriesPoint),
    };
  },
});

type FunctionRow = RollupTotals & { functionPath: string; functionType: string };

/** Merges rows into one line per function, with each function's share of the time all spent. */
function functionLines(rows: FunctionRow[]) {
  const byFunction = new Map<string, FunctionRow[]>();
  for (const row of rows) {
    if (row.functionPath === ALL_FUNCTIONS) continue;
    byFunction.set(row.functionPath, [...(byFunction.get(row.functionPath) ?? []), row]);
  }
  const overallTime = [...byFunction.values()].flat().reduce((total, row) => total + row.durationSumMs, 0);
  return [...byFunction.entries()].map(([functionPath, functionRows]) => {
    const totals = sumTotals(functionRows);
    const summary = summarize(totals);
    return {
      functionPath,
      functionType: functionRows[0]!.functionType,
      ...summary,
      failuresByCode: totals.failuresByCode,
      shareOfTime: overallTime === 0 ? 0 : summary.totalTimeMs / overallTime,
    };
  });
}

/**
 * Per-function performance over a range, like Supabase's query performance report. A page range
 * (15 m … 7 d ending now) reads the per-range summaries, one row per function; any other range
 * reads rollups, functions × buckets, and says when it stopped short.
 */
export const functionStats = viewerQuery({
  args: rangeArgs,
  handler: async (ctx, { deployment, from, to }) => {
    checkRange(from, to);
    const windowed = await functionWindowRows(ctx, deployment, from, to);
    if (windowed !== null) {
      return {
        granularity: "window" as const,
        truncated: windowed.truncated,
        functions: functionLines(windowed.rows),
      };
    }
    const granularity: Granularity = to - from > 3 * HOUR_MS ? "hour" : "minute";
    const rows = await ctx.db
      .query("rollups")
      .withIndex("by_bucket", (q) =>
        q
          .eq("deployment", deployment)
          .eq("granularity", granularity)
          .gte("bucket", bucketStart(from, granularity))
          .lt("bucket", to),
      )
      .take(MAX_FUNCTION_ROWS + 1);
    return {
      granularity,
      truncated: rows.length > MAX_FUNCTION_ROWS,
      functions: functionLines(rows.slice(0, MAX_FUNCTION_ROWS)),
    };
  },
});

export const slowCalls = viewerQuery({
  args: { ...rangeArgs, limit: v.optional(v.number()) },
  handler: async (ctx, { deployment, from, to, limit }) => {
    checkRange(from, to);
    const take = Math.max(1, Math.min(limit ?? MAX_SLOW_CALLS, MAX_SLOW_CALLS));
    const rows = await ctx.db
      .query("slowCalls")
      .withIndex("by_deployment_ts", (q) => q.eq("deployment", deployment).gte("ts", from).lt("ts", to))
      .order("desc")
      .take(take);
    return rows.map(({ _creationTime: _created, deployment: _deployment, ...row }) => row);
  },
});

/** Error rate over time stacked by code, and failures by function, from rollups. */
export const errorSeries = viewerQuery({
  args: rangeArgs,
  handler: async (ctx, { deployment, from, to }) => {
    checkRange(from, to);
    const granularity = granularityForRange(to - from);
    const series = await allFunctionsSeries(ctx, deployment, granularity, from, to);
    return {
      granularity,
      bucketMs: granularity === "minute" ? MINUTE_MS : HOUR_MS,
      points: series.map(seriesPoint),
    };
  },
});

/** Error groups that failed in the range, with counts, first and last seen for that range. */
export const errorGroups = viewerQuery({
  args: { ...rangeArgs, code: v.optional(v.string()) },
  handler: async (ctx, { deployment, from, to, code }) => {
    checkRange(from, to);
    return await errorGroupsInRange(ctx, { deployment, from, to, code });
  },
});

/** One error group's failing calls in the range, each with the request id its timeline opens by. */
export const errorGroupCalls = viewerQuery({
  args: { ...rangeArgs, group: v.string() },
  handler: async (ctx, { deployment, from, to, group }) => {
    checkRange(from, to);
    return await errorGroupCallsInRange(ctx, { deployment, group, from, to });
  },
});

/** Everything that shares one request id: executions, console lines and the slow-call record. */
export const requestTimeline = viewerQuery({
  args: { deployment: v.string(), requestId: v.string() },
  handler: async (ctx, { deployment, requestId }) => {
    const executions = await ctx.db
      .query("executions")
      .withIndex("by_request", (q) => q.eq("deployment", deployment).eq("requestId", requestId))
      .take(MAX_TIMELINE_ROWS);
    const lines = await ctx.db
      .query("consoleLines")
      .withIndex("by_request", (q) => q.eq("deployment", deployment).eq("requestId", requestId))
      .take(MAX_TIMELINE_ROWS);
    return [
      ...executions.map((row) => ({
        kind: "execution" as const,
        ts: row.ts,
        functionPath: row.functionPath,
        functionType: row.functionType,
        status: row.status,
        durationMs: row.durationMs,
        errorCode: row.errorCode,
        errorMessage: row.errorMessage,
        readDocuments: row.readDocuments,
        writeDocuments: row.writeDocuments,
      })),
      ...lines.map((row) => ({
        kind: "log" as const,
        ts: row.ts,
        functionPath: row.functionPath,
        level: row.level,
        message: row.message,
      })),
    ].sort((a, b) => a.ts - b.ts);
  },
});
