/**
 * The Logs page: a query in the seeds' language over every stored execution, console line and
 * deploy, newest first, a bounded number of documents read per page; and the same query live.
 */
import { v } from "convex/values";
import type { QueryCtx } from "../_generated/server";
import { appError } from "../lib/errors";
import { viewerQuery } from "../lib/functions";
import { streamGaps } from "./model/gaps";
import { matchesRow, planQuery, type Plan } from "./model/plan";
import { parseQuery, QueryError, type QueryNode } from "./model/query";
import { HOUR_MS } from "./model/rows";
import { scan, searchByTime, type LogDoc, type PageState, type Stop } from "./scan";
import { LOG_LIMITS } from "./shared";

/** A stored row as the browser gets it: its search text and buckets are the server's business. */
function present({ text: _text, hour: _hour, slot: _slot, ...row }: LogDoc) {
  return row;
}

export type LogResult = ReturnType<typeof present>;

function parseOrThrow(query: string, now: number): QueryNode {
  try {
    return parseQuery(query, now);
  } catch (error) {
    if (error instanceof QueryError)
      throw appError("VALIDATION_ERROR", `Column ${error.column}: ${error.message}`);
    throw error;
  }
}

async function oldestStoredTs(ctx: QueryCtx): Promise<number | null> {
  return (await ctx.db.query("logEvents").withIndex("by_ts").first())?.ts ?? null;
}

const cursorValidator = v.union(v.null(), v.object({ ts: v.number(), creationTime: v.number() }));

/**
 * One page of results, newest first, after `cursor`. Reads at most LOG_LIMITS.scanBudget
 * documents for rows (plus the stream-minute rows for gaps); when the budget runs out first,
 * `budgetHit` says so and `cursor` continues from the last document read.
 */
export const search = viewerQuery({
  args: {
    query: v.string(),
    now: v.number(),
    cursor: v.optional(cursorValidator),
    /** Walk time order with the matcher alone: proves the index paths answer the same. */
    noIndex: v.optional(v.boolean()),
    /** Rows per page, at most LOG_LIMITS.pageSize. */
    limit: v.optional(v.number()),
  },
  handler: async (ctx, { query, now, cursor = null, noIndex = false, limit }) => {
    const tree = parseOrThrow(query, now);
    const plan: Plan = noIndex ? { ...planQuery(tree), source: { index: "by_ts" } } : planQuery(tree);
    const oldest = await oldestStoredTs(ctx);
    const state: PageState = {
      rows: [],
      scanned: 0,
      last: null,
      pageSize: Math.max(1, Math.min(LOG_LIMITS.pageSize, Math.floor(limit ?? LOG_LIMITS.pageSize))),
      budget: LOG_LIMITS.scanBudget,
    };
    const lo = Math.max(plan.from ?? 0, oldest ?? now);
    const hi = Math.min(plan.to ?? Number.MAX_SAFE_INTEGER, cursor?.ts ?? Number.MAX_SAFE_INTEGER);
    let stop: Stop = "done";
    if (oldest !== null && lo <= hi) {
      stop =
        plan.source.index === "search"
          ? await searchByTime(
              ctx,
              plan.source,
              lo,
              Math.min(hi, now + HOUR_MS),
              { position: cursor },
              tree,
              state,
            )
          : await scan(ctx, plan.source, lo, hi, cursor, tree, state);
    }
    const top = cursor?.ts ?? Math.min(hi, now);
    const bottom = stop === "done" ? lo : (state.last?.ts ?? lo);
    const minutes = await ctx.db
      .query("logStreamMinutes")
      .withIndex("by_minute", (q) => q.gte("minute", bottom - 60_000).lte("minute", top))
      .take(LOG_LIMITS.gapMinutes);
    return {
      rows: state.rows.map(present),
      cursor: stop === "done" ? null : state.last,
      scanned: state.scanned,
      budgetHit: stop === "budget",
      index: plan.source.index,
      gaps: streamGaps(minutes).filter((gap) => gap.to > bottom && gap.from < top),
    };
  },
});

/**
 * The same query, live: rows stored after `after` (a creation time) in arrival order, so a late
 * event with an older timestamp still reaches the tail. Without `after`, the newest matches and
 * where to continue. Deploy markers always pass. `next` is where the next call starts.
 */
export const tail = viewerQuery({
  args: { query: v.string(), now: v.number(), after: v.optional(v.number()) },
  handler: async (ctx, { query, now, after }) => {
    const tree = parseOrThrow(query, now);
    const passes = (doc: LogDoc) => doc.kind === "deploy" || matchesRow(tree, doc);
    const rows: LogDoc[] = [];
    let scanned = 0;
    if (after === undefined) {
      let next = 0;
      for await (const doc of ctx.db.query("logEvents").withIndex("by_creation_time").order("desc")) {
        if (scanned === 0) next = doc._creationTime;
        scanned++;
        if (passes(doc)) rows.push(doc);
        if (rows.length >= LOG_LIMITS.tailFirst || scanned >= LOG_LIMITS.tailBudget) break;
      }
      return { rows: rows.reverse().map(present), next, scanned, caughtUp: true };
    }
    let next = after;
    let caughtUp = true;
    for await (const doc of ctx.db
      .query("logEvents")
      .withIndex("by_creation_time", (q) => q.gt("_creationTime", after))
      .order("asc")) {
      scanned++;
      next = doc._creationTime;
      if (passes(doc)) rows.push(doc);
      if (rows.length >= LOG_LIMITS.tailBatch || scanned >= LOG_LIMITS.tailBudget) {
        caughtUp = false;
        break;
      }
    }
    return { rows: rows.map(present), next, scanned, caughtUp };
  },
});

/** Every stored row of one request, oldest first: what a result row opens. */
export const requestTimeline = viewerQuery({
  args: { requestId: v.string(), deployment: v.optional(v.string()) },
  handler: async (ctx, { requestId, deployment }) => {
    const rows = await ctx.db
      .query("logEvents")
      .withIndex("by_request", (q) => q.eq("requestId", requestId))
      .take(LOG_LIMITS.timelineRows);
    return rows.filter((row) => deployment === undefined || row.deployment === deployment).map(present);
  },
});
