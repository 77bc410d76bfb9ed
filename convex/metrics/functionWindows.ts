/**
 * Keeps the per-range function summaries (model/windows.ts): ingest adds, a cron subtracts what
 * leaves, and functionStats reads one row per function when a page range matches a window.
 */
import { v } from "convex/values";
import type { NamedTableInfo, QueryInitializer } from "convex/server";
import type { DataModel, Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import { internalMutation } from "../lib/functions";
import { upsertByIndex } from "../lib/upsert";
import { ALL_FUNCTIONS, mergeTotals, type RollupTotals } from "./model/rollups";
import { bucketStart } from "./model/timeBuckets";
import {
  FUNCTION_WINDOWS,
  stepMs,
  subtractTotals,
  windowFor,
  windowStart,
  type WindowSpec,
} from "./model/windows";
import { watchedDeploymentsByActivity } from "./read";

/**
 * Buckets one run subtracts per window: at most 5 × (functions + 1) rollups read and as many rows
 * written. A deployment that is behind (after downtime) schedules its next run at once.
 */
const BUCKETS_PER_ADVANCE = 1;
/** More functions than a deployment has in practice; a window lists at most this many, and says so. */
export const MAX_WINDOW_FUNCTIONS = 1500;

type Delta = { functionPath: string; functionType: string; bucket: number; totals: RollupTotals };

function totalsOf(row: RollupTotals): RollupTotals {
  return {
    calls: row.calls,
    failures: row.failures,
    failuresByCode: row.failuresByCode,
    cacheHits: row.cacheHits,
    slowCalls: row.slowCalls,
    mutations: row.mutations,
    occFailures: row.occFailures,
    durationSumMs: row.durationSumMs,
    maxDurationMs: row.maxDurationMs,
    ...(row.minDurationMs !== undefined ? { minDurationMs: row.minDurationMs } : {}),
    histogram: row.histogram,
    readDocuments: row.readDocuments,
    ...(row.readDocumentsSquares !== undefined ? { readDocumentsSquares: row.readDocumentsSquares } : {}),
    readBytes: row.readBytes,
    writeDocuments: row.writeDocuments,
    writeBytes: row.writeBytes,
  };
}

async function windowStartRow(ctx: QueryCtx, deployment: string, window: string) {
  return await ctx.db
    .query("functionWindowStarts")
    .withIndex("by_window", (q) => q.eq("deployment", deployment).eq("window", window))
    .unique();
}

function windowRange(
  query: QueryInitializer<NamedTableInfo<DataModel, "functionWindows">>,
  deployment: string,
  window: string,
  functionPath: string,
) {
  return query.withIndex("by_window", (q) =>
    q.eq("deployment", deployment).eq("window", window).eq("functionPath", functionPath),
  );
}

async function windowRow(ctx: QueryCtx, deployment: string, window: string, functionPath: string) {
  return await windowRange(ctx.db.query("functionWindows"), deployment, window, functionPath).unique();
}

/**
 * Adds one batch's per-function minute and hour deltas (the same ones written to rollups) to every
 * window they fall inside. A deployment's windows open at its first batch.
 */
export async function addToFunctionWindows(
  ctx: MutationCtx,
  deployment: string,
  deltas: Array<Delta & { granularity: "minute" | "hour" }>,
  receivedAt: number,
): Promise<void> {
  for (const window of FUNCTION_WINDOWS) {
    let start = (await windowStartRow(ctx, deployment, window.key))?.start;
    if (start === undefined) {
      start = windowStart(window, receivedAt);
      await ctx.db.insert("functionWindowStarts", { deployment, window: window.key, start });
    }
    // A batch spanning two minutes holds two deltas per function: one write per function still.
    const merged = new Map<string, Delta>();
    for (const delta of deltas) {
      if (delta.granularity !== window.granularity || delta.functionPath === ALL_FUNCTIONS) continue;
      if (delta.bucket < start) continue;
      const known = merged.get(delta.functionPath);
      merged.set(
        delta.functionPath,
        known === undefined ? delta : { ...known, totals: mergeTotals(known.totals, delta.totals) },
      );
    }
    for (const delta of merged.values()) {
      await upsertByIndex(
        ctx,
        "functionWindows",
        (q) => windowRange(q, deployment, window.key, delta.functionPath),
        {
          insert: {
            deployment,
            window: window.key,
            functionPath: delta.functionPath,
            functionType: delta.functionType,
            ...delta.totals,
          },
          patch: (existing) => mergeTotals(totalsOf(existing), delta.totals),
        },
      );
    }
  }
}

/** Subtracts the buckets that left one window since its start last moved; false when more are due. */
async function advanceWindow(ctx: MutationCtx, deployment: string, window: WindowSpec, now: number) {
  const startRow = await windowStartRow(ctx, deployment, window.key);
  if (startRow === null) return true;
  const target = windowStart(window, now);
  let start = startRow.start;
  for (let step = 0; step < BUCKETS_PER_ADVANCE && start < target; step++) {
    const leaving = await ctx.db
      .query("rollups")
      .withIndex("by_bucket", (q) =>
        q.eq("deployment", deployment).eq("granularity", window.granularity).eq("bucket", start),
      )
      .take(MAX_WINDOW_FUNCTIONS + 1);
    for (const row of leaving) {
      if (row.functionPath === ALL_FUNCTIONS) continue;
      const existing = await windowRow(ctx, deployment, window.key, row.functionPath);
      if (existing === null) continue;
      const left = subtractTotals(totalsOf(existing), totalsOf(row));
      if (left.calls === 0) await ctx.db.delete("functionWindows", existing._id);
      else {
        const { deployment: rowDeployment, window: rowWindow, functionPath, functionType } = existing;
        await ctx.db.replace("functionWindows", existing._id, {
          deployment: rowDeployment,
          window: rowWindow,
          functionPath,
          functionType,
          ...left,
        });
      }
    }
    start = bucketStart(start, window.granularity) + stepMs(window);
  }
  if (start !== startRow.start) await ctx.db.patch("functionWindowStarts", startRow._id, { start });
  return start >= target;
}

/** One deployment's windows move one bucket each; true once they are all where `now` puts them. */
export const advanceDeploymentWindows = internalMutation({
  args: { deployment: v.string(), now: v.number() },
  handler: async (ctx, { deployment, now }) => {
    let caughtUp = true;
    for (const window of FUNCTION_WINDOWS) {
      caughtUp = (await advanceWindow(ctx, deployment, window, now)) && caughtUp;
    }
    if (!caughtUp) {
      await ctx.scheduler.runAfter(0, internal.metrics.functionWindows.advanceDeploymentWindows, {
        deployment,
        now,
      });
    }
    return caughtUp;
  },
});

/** Every minute: each watched deployment's windows drop the buckets that have left them. */
export const advanceFunctionWindows = internalMutation({
  args: { now: v.optional(v.number()) },
  handler: async (ctx, args) => {
    const now = args.now ?? Date.now();
    for (const deployment of await watchedDeploymentsByActivity(ctx)) {
      await ctx.scheduler.runAfter(0, internal.metrics.functionWindows.advanceDeploymentWindows, {
        deployment: deployment.name,
        now,
      });
    }
  },
});

/** The window rows answering [from, to), or null when no window matches that range. */
export async function functionWindowRows(
  ctx: QueryCtx,
  deployment: string,
  from: number,
  to: number,
): Promise<{ rows: Doc<"functionWindows">[]; truncated: boolean } | null> {
  const starts = new Map<string, number>();
  for (const window of FUNCTION_WINDOWS) {
    const row = await windowStartRow(ctx, deployment, window.key);
    if (row !== null) starts.set(window.key, row.start);
  }
  const window = windowFor(from, to, starts);
  if (window === null) return null;
  const rows = await ctx.db
    .query("functionWindows")
    .withIndex("by_window", (q) => q.eq("deployment", deployment).eq("window", window.key))
    .take(MAX_WINDOW_FUNCTIONS + 1);
  return { rows: rows.slice(0, MAX_WINDOW_FUNCTIONS), truncated: rows.length > MAX_WINDOW_FUNCTIONS };
}
