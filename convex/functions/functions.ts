/**
 * A page per function and a verdict per deploy. Charts read one function's rollups (≤ 721 rows);
 * a deploy's verdict is computed once, in chunks, when its window closes, so the Deploys page reads
 * stored rows, never functions × minutes of rollups.
 */
import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import { appError } from "../lib/errors";
import { internalMutation, viewerQuery } from "../lib/functions";
import {
  ALL_FUNCTIONS,
  deploysInRange,
  errorGroupsFirstSeen,
  errorGroupsOfFunction,
  functionRollupsPage,
  functionSeries,
  occConflictsOfFunction,
  schedulerLagSeries,
  slowCallsOfFunction,
  summarize,
  sumTotals,
  watchedDeploymentsByActivity,
} from "../metrics/read";
import { HOUR_MS, MINUTE_MS, percentile } from "../metrics/shared";
import { compareFunction, type SideTotals } from "./model/compare";
import { deployAuthor, FUNCTION_RANGES, type FunctionRange } from "./model/ranges";
import { DEFAULT_DEPLOY_WINDOW_MINUTES } from "./shared";

const MAX_DEPLOYS_LISTED = 20;
const MAX_DEPLOY_MARKERS = 100;
const MAX_SERIES_ROWS = 800;
/** Hour × table × document rows of write conflicts read for one function page. */
const MAX_CONFLICT_ROWS = 500;
const MAX_FUNCTIONS_COMPARED = 1500;
const ROLLUPS_PER_CHUNK = 400;
/** Log stream batches arrive within seconds; a verdict waits this long past its window for them. */
const LATE_EVENTS_GRACE_MS = 10_000;
/** Verdicts are started for deploys up to this old; an older one stays "no verdict". */
const VERDICT_LOOKBACK_MS = 24 * HOUR_MS;

/** The deploy window, from the DEPLOY_WATCH_MINUTES environment variable (tests shorten it). */
export function deployWindowMs(): number {
  const minutes = Number(env.DEPLOY_WATCH_MINUTES ?? DEFAULT_DEPLOY_WINDOW_MINUTES);
  return (
    (Number.isFinite(minutes) && minutes > 0 ? Math.min(minutes, 120) : DEFAULT_DEPLOY_WINDOW_MINUTES) *
    MINUTE_MS
  );
}

const rangeValidator = v.union(v.literal("1h"), v.literal("24h"), v.literal("7d"), v.literal("30d"));

function emptySide(): SideTotals {
  return {
    calls: 0,
    failures: 0,
    histogram: [],
    maxDurationMs: 0,
    readDocuments: 0,
    readDocumentsSquares: 0,
  };
}

/** One function over a range: charts, totals, slowest calls, newest error groups, deploys. */
export const functionPage = viewerQuery({
  args: { deployment: v.string(), functionPath: v.string(), range: rangeValidator, now: v.number() },
  handler: async (ctx, { deployment, functionPath, range, now }) => {
    if (functionPath === ALL_FUNCTIONS || functionPath.length > 500) {
      throw appError("VALIDATION_ERROR", "That is not a function path.");
    }
    const { ms, granularity } = FUNCTION_RANGES[range as FunctionRange];
    const from = now - ms;
    const rows = await functionSeries(ctx, {
      deployment,
      functionPath,
      granularity,
      from,
      to: now,
      limit: MAX_SERIES_ROWS,
    });
    const totals = sumTotals(rows);
    const observed = (row: Doc<"rollups"> | typeof totals) => ({
      minMs: row.minDurationMs,
      maxMs: row.calls === 0 ? null : row.maxDurationMs,
    });
    const points = rows.map((row) => ({
      bucket: row.bucket,
      calls: row.calls,
      failures: row.failures,
      failuresByCode: row.failuresByCode,
      p50Ms: percentile(row.histogram, 0.5, observed(row)),
      p90Ms: percentile(row.histogram, 0.9, observed(row)),
      p95Ms: percentile(row.histogram, 0.95, observed(row)),
      p99Ms: percentile(row.histogram, 0.99, observed(row)),
      readsPerCall: row.calls === 0 ? 0 : row.readDocuments / row.calls,
      cacheHitRate: row.calls === 0 ? 0 : row.cacheHits / row.calls,
      occFailures: row.occFailures,
    }));
    const summary = summarize(totals);
    const slowest = await slowCallsOfFunction(ctx, { deployment, functionPath, from, to: now, limit: 50 });
    const groups = await errorGroupsOfFunction(ctx, { deployment, functionPath, limit: 10 });
    const deploys = await deploysInRange(ctx, { deployment, from, to: now, limit: MAX_DEPLOY_MARKERS });
    const aroundLastDeploy = granularity === "minute" ? aroundDeploy(rows, deploys[0]?.ts) : null;
    const functionType = rows[0]?.functionType ?? null;
    // Only mutations conflict; only mutations and actions are scheduled.
    const conflicts =
      functionType === "mutation"
        ? await occConflictsOfFunction(ctx, {
            deployment,
            functionPath,
            from,
            to: now,
            limit: MAX_CONFLICT_ROWS,
          })
        : null;
    const schedulerLag =
      functionType === "mutation" || functionType === "action"
        ? await schedulerLagSeries(ctx, { deployment, from: now - HOUR_MS, to: now })
        : null;
    return {
      aroundLastDeploy,
      granularity,
      bucketMs: granularity === "minute" ? MINUTE_MS : HOUR_MS,
      functionType,
      conflicts,
      schedulerLag,
      totals: {
        ...summary,
        p90Ms: percentile(totals.histogram, 0.9, observed(totals)),
        failuresByCode: totals.failuresByCode,
        occFailures: totals.occFailures,
        mutations: totals.mutations,
      },
      points,
      slowestCalls: slowest
        .sort((a, b) => b.durationMs - a.durationMs)
        .slice(0, 10)
        .map((call) => ({
          ts: call.ts,
          requestId: call.requestId,
          durationMs: call.durationMs,
          status: call.status,
          readDocuments: call.readDocuments,
          dbCalls: call.dbCalls,
        })),
      errorGroups: groups.map((group) => ({
        key: group.key,
        code: group.code,
        message: group.message,
        count: group.count,
        firstSeen: group.firstSeen,
        lastSeen: group.lastSeen,
      })),
      deploys: deploys.reverse().map((deploy) => ({ ts: deploy.ts })),
    };
  },
});

/** Bucket starts of the two sides: whole minutes before the deploy's minute, and after it. */
export function verdictSides(deployTs: number, windowMs: number) {
  const deployMinute = Math.floor(deployTs / MINUTE_MS) * MINUTE_MS;
  return {
    beforeFrom: deployMinute - windowMs,
    beforeTo: deployMinute,
    afterFrom: deployMinute + MINUTE_MS,
    afterTo: deployMinute + MINUTE_MS + windowMs,
  };
}

/**
 * When a deploy's window has closed: the end of its after side, plus a few seconds for the log
 * stream's last batches of that minute to arrive. The page's "watching" ends at the same moment.
 */
export function verdictDueAt(deployTs: number, windowMs: number): number {
  return verdictSides(deployTs, windowMs).afterTo + LATE_EVENTS_GRACE_MS;
}

/** The newest deploy time whose verdict is due at `now` (the inverse of `verdictDueAt`). */
function lastDueDeployTs(now: number, windowMs: number): number {
  const dueMinute = Math.floor((now - LATE_EVENTS_GRACE_MS - windowMs - MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  return dueMinute + MINUTE_MS - 1;
}

/**
 * The function over the newest deploy's window either side (the verdict's sides), from minute rows:
 * the jump a chart shows, as numbers. Null without a deploy in the range.
 */
function aroundDeploy(rows: Doc<"rollups">[], deployTs: number | undefined) {
  if (deployTs === undefined) return null;
  const windowMs = deployWindowMs();
  const sides = verdictSides(deployTs, windowMs);
  const side = (fromBucket: number, toBucket: number) => {
    const summary = summarize(
      sumTotals(rows.filter((row) => row.bucket >= fromBucket && row.bucket < toBucket)),
    );
    return { calls: summary.calls, errorRate: summary.errorRate, p95Ms: summary.p95Ms };
  };
  return {
    ts: deployTs,
    windowMs,
    before: side(sides.beforeFrom, sides.beforeTo),
    after: side(sides.afterFrom, sides.afterTo),
  };
}

async function verdictOf(ctx: QueryCtx, deployment: string, deployTs: number) {
  return await ctx.db
    .query("deployVerdicts")
    .withIndex("by_deploy", (q) => q.eq("deployment", deployment).eq("deployTs", deployTs))
    .unique();
}

/** The newest deploys, each watching (with minutes left), computing, or with its verdict. */
export const deploys = viewerQuery({
  args: { deployment: v.string(), now: v.number() },
  handler: async (ctx, { deployment, now }) => {
    const windowMs = deployWindowMs();
    const rows = await deploysInRange(ctx, { deployment, from: 0, to: now, limit: MAX_DEPLOYS_LISTED });
    const listed = [];
    for (const deploy of rows) {
      const verdict = await verdictOf(ctx, deployment, deploy.ts);
      const closesAt = verdictDueAt(deploy.ts, verdict?.windowMs ?? windowMs);
      listed.push({
        ts: deploy.ts,
        author: deployAuthor(deploy.metadata),
        windowMs: verdict?.windowMs ?? windowMs,
        state:
          verdict?.state === "done"
            ? ("done" as const)
            : now < closesAt
              ? ("watching" as const)
              : ("computing" as const),
        minutesLeft: Math.max(0, Math.ceil((closesAt - now) / MINUTE_MS)),
        regressions: verdict?.state === "done" ? verdict.regressions : [],
        newFunctions: verdict?.newFunctions ?? 0,
        goneFunctions: verdict?.goneFunctions ?? 0,
        functionsCompared: verdict?.functionsCompared ?? 0,
      });
    }
    return { windowMs, deploys: listed };
  },
});

/** One deploy's per-function before/after, and the error groups first seen after it. */
export const deploy = viewerQuery({
  args: { deployment: v.string(), deployTs: v.number() },
  handler: async (ctx, { deployment, deployTs }) => {
    const verdict = await verdictOf(ctx, deployment, deployTs);
    if (verdict === null || verdict.state !== "done") return null;
    const rows = await ctx.db
      .query("deployFunctions")
      .withIndex("by_verdict", (q) => q.eq("verdictId", verdict._id))
      .take(MAX_FUNCTIONS_COMPARED);
    const newGroups = await errorGroupsFirstSeen(ctx, {
      deployment,
      from: deployTs,
      to: deployTs + verdict.windowMs,
      limit: 50,
    });
    return {
      windowMs: verdict.windowMs,
      functions: rows.map((row) => ({
        functionPath: row.functionPath,
        functionType: row.functionType,
        ...compareFunction(row.before, row.after, rows.length),
      })),
      newErrorGroups: newGroups.map((group) => ({
        key: group.key,
        functionPath: group.functionPath,
        code: group.code,
        message: group.message,
        count: group.count,
        firstSeen: group.firstSeen,
      })),
    };
  },
});

/** Starts a deploy's verdict once (its first chunk runs at once); a second start is a no-op. */
async function beginVerdict(ctx: MutationCtx, deployment: string, deployTs: number, windowMs: number) {
  if ((await verdictOf(ctx, deployment, deployTs)) !== null) return;
  const verdictId = await ctx.db.insert("deployVerdicts", {
    deployment,
    deployTs,
    windowMs,
    state: "computing",
    cursor: null,
    regressions: [],
    newFunctions: 0,
    goneFunctions: 0,
    functionsCompared: 0,
  });
  await ctx.scheduler.runAfter(0, internal.functions.functions.computeVerdict, { verdictId });
}

/**
 * Scheduled by ingest for each deploy it stores: waits until the deploy's window has closed, then
 * starts its verdict, so the verdict appears within seconds of the close rather than at the next
 * cron minute.
 */
export const startVerdict = internalMutation({
  args: { deployment: v.string(), deployTs: v.number() },
  handler: async (ctx, { deployment, deployTs }) => {
    const now = Date.now();
    if (now - deployTs > VERDICT_LOOKBACK_MS) return;
    const windowMs = deployWindowMs();
    const dueAt = verdictDueAt(deployTs, windowMs);
    if (now < dueAt) {
      await ctx.scheduler.runAfter(dueAt - now, internal.functions.functions.startVerdict, {
        deployment,
        deployTs,
      });
      return;
    }
    await beginVerdict(ctx, deployment, deployTs, windowMs);
  },
});

/** Every minute, the backstop: deploys whose window closed and that have no verdict yet get one. */
export const startDueVerdicts = internalMutation({
  args: { now: v.optional(v.number()) },
  handler: async (ctx, args) => {
    const now = args.now ?? Date.now();
    const windowMs = deployWindowMs();
    for (const watched of await watchedDeploymentsByActivity(ctx)) {
      const due = await deploysInRange(ctx, {
        deployment: watched.name,
        from: now - VERDICT_LOOKBACK_MS,
        to: lastDueDeployTs(now, windowMs),
        limit: MAX_DEPLOYS_LISTED,
      });
      for (const deploy of due) await beginVerdict(ctx, watched.name, deploy.ts, windowMs);
    }
  },
});

function addSide(side: SideTotals, row: Doc<"rollups">): SideTotals {
  const merged = sumTotals([
    {
      ...row,
      histogram: side.histogram,
      calls: side.calls,
      failures: side.failures,
      readDocuments: side.readDocuments,
      readDocumentsSquares: side.readDocumentsSquares,
      maxDurationMs: side.maxDurationMs,
      minDurationMs: side.minDurationMs,
    },
    row,
  ]);
  return {
    calls: merged.calls,
    failures: merged.failures,
    histogram: merged.histogram,
    maxDurationMs: merged.maxDurationMs,
    readDocuments: merged.readDocuments,
    ...(merged.minDurationMs !== undefined ? { minDurationMs: merged.minDurationMs } : {}),
    ...(merged.readDocumentsSquares !== undefined
      ? { readDocumentsSquares: merged.readDocumentsSquares }
      : {}),
  };
}

async function finishVerdict(ctx: MutationCtx, verdictId: Id<"deployVerdicts">): Promise<void> {
  const rows = await ctx.db
    .query("deployFunctions")
    .withIndex("by_verdict", (q) => q.eq("verdictId", verdictId))
    .take(MAX_FUNCTIONS_COMPARED);
  const regressions: Array<{ functionPath: string; kinds: string[] }> = [];
  let newFunctions = 0;
  let goneFunctions = 0;
  for (const row of rows) {
    const comparison = compareFunction(row.before, row.after, rows.length);
    if (comparison.status === "new") newFunctions += 1;
    if (comparison.status === "gone") goneFunctions += 1;
    if (comparison.regressions.length > 0) {
      regressions.push({ functionPath: row.functionPath, kinds: comparison.regressions });
    }
  }
  await ctx.db.patch("deployVerdicts", verdictId, {
    state: "done",
    cursor: null,
    regressions: regressions.slice(0, 100),
    newFunctions,
    goneFunctions,
    functionsCompared: rows.length,
  });
}

/** One chunk of a verdict: adds a page of minute rollups to each function's before or after side. */
export const computeVerdict = internalMutation({
  args: { verdictId: v.id("deployVerdicts") },
  handler: async (ctx, { verdictId }) => {
    const verdict = await ctx.db.get("deployVerdicts", verdictId);
    if (verdict === null || verdict.state === "done") return;
    const sides = verdictSides(verdict.deployTs, verdict.windowMs);
    const page = await functionRollupsPage(ctx, {
      deployment: verdict.deployment,
      from: sides.beforeFrom,
      to: sides.afterTo,
      cursor: verdict.cursor,
      numItems: ROLLUPS_PER_CHUNK,
    });
    for (const row of page.page) {
      if (row.functionPath === ALL_FUNCTIONS) continue;
      const key = row.bucket < sides.beforeTo ? "before" : row.bucket >= sides.afterFrom ? "after" : null;
      if (key === null) continue;
      const existing = await ctx.db
        .query("deployFunctions")
        .withIndex("by_verdict", (q) => q.eq("verdictId", verdictId).eq("functionPath", row.functionPath))
        .unique();
      if (existing === null) {
        await ctx.db.insert("deployFunctions", {
          verdictId,
          functionPath: row.functionPath,
          functionType: row.functionType,
          before: key === "before" ? addSide(emptySide(), row) : emptySide(),
          after: key === "after" ? addSide(emptySide(), row) : emptySide(),
        });
      } else {
        await ctx.db.patch("deployFunctions", existing._id, { [key]: addSide(existing[key], row) });
      }
    }
    if (page.isDone) {
      await finishVerdict(ctx, verdictId);
    } else {
      await ctx.db.patch("deployVerdicts", verdictId, { cursor: page.continueCursor });
      await ctx.scheduler.runAfter(0, internal.functions.functions.computeVerdict, { verdictId });
    }
  },
});
