/**
 * Walking stored log rows for a parsed query: one index range newest first, or message words
 * through the search index hour by hour (a busy hour by its 5-minute slots), matching every candidate, until a page is full or a
 * budget of documents read runs out. The Logs page's search and the alert rules' counts both use it.
 */
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { matchesRow, type Source } from "./model/plan";
import type { QueryNode } from "./model/query";
import { bucketOf, HOUR_MS, SLOT_MS } from "./model/rows";
import { LOG_LIMITS } from "./shared";

export type LogDoc = Doc<"logEvents">;
export type Position = { ts: number; creationTime: number };

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
      return table.withIndex("by_request", (q) =>
        q.eq("requestId", source.requestId).gte("ts", lo).lte("ts", hi),
      );
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
      return table.withIndex("by_deployment_ts", (q) =>
        q.eq("deployment", source.deployment).gte("ts", lo).lte("ts", hi),
      );
    case "by_ts":
      return table.withIndex("by_ts", (q) => q.gte("ts", lo).lte("ts", hi));
  }
}

export type PageState = {
  rows: LogDoc[];
  scanned: number;
  last: Position | null;
  pageSize: number;
  budget: number;
};
export type Stop = "full" | "budget" | "done";

/** Walks one index range newest first from `position`, matching each row, until the page or budget is used. */
export async function scan(
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
export async function searchByTime(
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
        if (source.filters.deployment !== undefined)
          search = search.eq("deployment", source.filters.deployment);
        if (source.filters.level !== undefined) search = search.eq("level", source.filters.level);
        if (source.filters.functionPath !== undefined)
          search = search.eq("functionPath", source.filters.functionPath);
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
        .filter(
          (doc) => doc.ts >= from && doc.ts <= to && isOlder(doc, walk.position) && matchesRow(tree, doc),
        )
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
