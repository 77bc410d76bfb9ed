/**
 * The Logs page: a query in the seeds' language over every stored execution, console line and
 * deploy, newest first, a bounded number of documents read per page; and the same query live.
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { appError } from "../lib/errors";
import { viewerQuery } from "../lib/functions";
import { streamGaps } from "./model/gaps";
import { matchesRow, planQuery, type Plan, type Source } from "./model/plan";
import { parseQuery, QueryError, type QueryNode } from "./model/query";
import { bucketOf, HOUR_MS, SLOT_MS } from "./model/rows";
import { LOG_LIMITS } from "./shared";

type LogDoc = Doc<"logEvents">;
type Position = { ts: number; creationTime: number };

/** A stored row as the browser gets it: its search text and buckets are the server's business. */
function present({ text: _text, hour: _hour, slot: _slot, ...row }: LogDoc) {
  return row;
}

export type LogResult = ReturnType<typeof present>;

function parseOrThrow(query: string, now: number): QueryNode {
  try {
    return parseQuery(query, now);
  } catch (error) {
    if (error instanceof QueryError) throw appError("VALIDATION_ERROR", `Column ${error.column}: ${error.message}`);
    throw error;
  }
}

/** Rows strictly after `position` in newest-first order (ties on `ts` broken by creation time). */
function isOlder(doc: LogDoc, position: Position | null): boolean {
  if (position === null) return true;
  return doc.ts < position.ts || (doc.ts === position.ts && doc._creationTime < position.creationTime);
}

const positionOf = (doc: LogDoc): Position => ({ ts: doc.ts, creationTime: doc._creationTime });

function indexRange(ctx: QueryCtx, source: Exclude<Source, { index: "search" }>, lo: number, hi: number) {
  const table = ctx.db.query("logEvents");
  switch (source.index) {
    case "by_request":
      return table.withIndex("by_request", (q) => q.eq("requestId", source.requestId).gte("ts", lo).lte("ts", hi));
    case "by_correlation":
      return table.withIndex("by_correlation", (q) =>
        q.eq("correlationId", source.correlationId).gte("ts", lo).lte("ts", hi),
      );
    case "by_function":
      return table.withIndex("by_function_ts", (q) =>
        q.eq("functionPath", source.functionPath).gte("ts", lo).lte("ts", hi),
      );
    case "by_function_level":
      return table.withIndex("by_function_level_ts", (q) =>
        q.eq("functionPath", source.functionPath).eq("level", source.level).gte("ts", lo).lte("ts", hi),
      );
    case "by_level":
      return table.withIndex("by_level_ts", (q) => q.eq("level", source.level).gte("ts", lo).lte("ts", hi));
    case "by_deployment":
      return table.withIndex("by_deployment_ts", (q) => q.eq("deployment", source.deployment).gte("ts", lo).lte("ts", hi));
    case "by_ts":
      return table.withIndex("by_ts", (q) => q.gte("ts", lo).lte("ts", hi));
  }
}

type PageState = { rows: LogDoc[]; scanned: number; last: Position | null; pageSize: number; budget: number };
type Stop = "full" | "budget" | "done";

/** Walks one index range newest first from `position`, matching each row, until the page or budget is used. */
async function scan(
  ctx: QueryCtx,
  source: Exclude<Source, { index: "search" }>,
  lo: number,
  hi: number,
  position: Position | null,
  tree: QueryNode,
  state: PageState,
): Promise<Stop> {
  for await (const doc of indexRange(ctx, source, lo, hi).order("desc")) {
    state.scanned++;
    if (!isOlder(doc, position)) continue;
    state.last = positionOf(doc);
    if (matchesRow(tree, doc)) {
      state.rows.push(doc);
      if (state.rows.length >= state.pageSize) return "full";
    }
    if (state.scanned >= state.budget) return "budget";
  }
  return "done";
}

/** Search buckets, coarse to fine: a bucket whose search fills `searchTake` is searched by the next. */
const SEARCH_BUCKETS = [
  { field: "hour", size: HOUR_MS },
  { field: "slot", size: SLOT_MS },
] as const;

/**
 * Message words through the search index, one UTC hour at a time from the newest, so results stay
 * in time order although search ranks by relevance. An hour with more candidates than one search
 * returns is searched again by its 5-minute slots, and a slot that is still fuller is walked
 * through the time index, so no match is lost to the ranking and a page reads about as many
 * documents however busy the hour was.
 */
async function searchByTime(
  ctx: QueryCtx,
  source: Extract<Source, { index: "search" }>,
  lo: number,
  hi: number,
  walk: { position: Position | null },
  tree: QueryNode,
  state: PageState,
  level = 0,
): Promise<Stop> {
  const bucket = SEARCH_BUCKETS[level]!;
  for (let start = bucketOf(hi, bucket.size); start >= bucketOf(lo, bucket.size); start -= bucket.size) {
    const from = Math.max(lo, start);
    const to = Math.min(hi, start + bucket.size - 1);
    const candidates = await ctx.db
      .query("logEvents")
      .withSearchIndex("search_text", (q) => {
        let search = q.search("text", source.words.join(" ")).eq(bucket.field, start);
        if (source.filters.deployment !== undefined) search = search.eq("deployment", source.filters.deployment);
        if (source.filters.level !== undefined) search = search.eq("level", source.filters.level);
        if (source.filters.functionPath !== undefined) search = search.eq("functionPath", source.filters.functionPath);
        if (source.filters.kind !== undefined) {
          search = search.eq("kind", source.filters.kind as LogDoc["kind"]);
        }
        return search;
      })
      .take(LOG_LIMITS.searchTake);
    state.scanned += candidates.length;
    if (candidates.length === LOG_LIMITS.searchTake) {
      const stop =
        level + 1 < SEARCH_BUCKETS.length
          ? await searchByTime(ctx, source, from, to, walk, tree, state, level + 1)
          : await scan(ctx, { index: "by_ts" }, from, to, walk.position, tree, state);
      if (stop !== "done") return stop;
    } else {
      const ordered = candidates
        .filter((doc) => doc.ts >= from && doc.ts <= to && isOlder(doc, walk.position) && matchesRow(tree, doc))
        .sort((a, b) => b.ts - a.ts || b._creationTime - a._creationTime);
      for (const doc of ordered) {
        state.rows.push(doc);
        state.last = positionOf(doc);
        if (state.rows.length >= state.pageSize) return "full";
      }
    }
    // Everything at or after this bucket's start is done: the next one continues strictly before it.
    walk.position = { ts: start, creationTime: 0 };
    state.last = walk.position;
    if (state.scanned >= state.budget) return "budget";
  }
  return "done";
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
          ? await searchByTime(ctx, plan.source, lo, Math.min(hi, now + HOUR_MS), { position: cursor }, tree, state)
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
