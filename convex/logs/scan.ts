/**
 * Walking stored log rows for a parsed query: one index range newest first, or message words
 * through the search index hour by hour, matching every candidate, until a page is full or a
 * budget of documents read runs out. The Logs page's search and the alert rules' counts both use it.
 */
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { matchesRow, type Source } from "./model/plan";
import type { QueryNode } from "./model/query";
import { HOUR_MS, hourOf } from "./model/rows";
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

/**
 * Message words through the search index, one UTC hour at a time from the newest, so results stay
 * in time order although search ranks by relevance. An hour with more candidates than one search
 * returns is walked through the time index instead, so no match is lost to the ranking.
 */
export async function searchByHour(
  ctx: QueryCtx,
  source: Extract<Source, { index: "search" }>,
  lo: number,
  hi: number,
  cursor: Position | null,
  tree: QueryNode,
  state: PageState,
): Promise<Stop> {
  let position = cursor;
  for (let hour = hourOf(hi); hour >= hourOf(lo); hour -= HOUR_MS) {
    const candidates = await ctx.db
      .query("logEvents")
      .withSearchIndex("search_text", (q) => {
        let search = q.search("text", source.words.join(" ")).eq("hour", hour);
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
      .take(LOG_LIMITS.searchTakePerHour);
    state.scanned += candidates.length;
    if (candidates.length === LOG_LIMITS.searchTakePerHour) {
      const stop = await scan(
        ctx,
        { index: "by_ts" },
        Math.max(lo, hour),
        Math.min(hi, hour + HOUR_MS - 1),
        position,
        tree,
        state,
      );
      if (stop !== "done") return stop;
    } else {
      const ordered = candidates
        .filter((doc) => doc.ts >= lo && doc.ts <= hi && isOlder(doc, position) && matchesRow(tree, doc))
        .sort((a, b) => b.ts - a.ts || b._creationTime - a._creationTime);
      for (const doc of ordered) {
        state.rows.push(doc);
        state.last = positionOf(doc);
        if (state.rows.length >= state.pageSize) return "full";
      }
    }
    // Everything at or after this hour's start is done: the next hour continues strictly before it.
    position = { ts: hour, creationTime: 0 };
    state.last = position;
    if (state.scanned >= state.budget) return "budget";
  }
  return "done";
}
