import { defineTable } from "convex/server";
import { v } from "convex/values";

const nullableString = v.union(v.string(), v.null());
const nullableNumber = v.union(v.number(), v.null());

/**
 * The Logs page's copy of every stored execution, console line and deploy, one row shape for all
 * three so one index range or one search walks them in time order. Written by the log-stream
 * ingest in the same transaction as the metrics' raw rows, and kept exactly as long.
 */
export const logTables = {
  logEvents: defineTable({
    deployment: v.string(),
    ts: v.number(),
    kind: v.union(v.literal("execution"), v.literal("console"), v.literal("deploy")),
    /** Lower case: a console line's own level; an execution is "error" when it failed, else "info". */
    level: v.string(),
    functionPath: nullableString,
    functionType: nullableString,
    status: nullableString,
    code: nullableString,
    requestId: nullableString,
    correlationId: nullableString,
    durationMs: nullableNumber,
    dbCalls: nullableNumber,
    docsScanned: nullableNumber,
    docsWritten: nullableNumber,
    cached: v.union(v.boolean(), v.null()),
    message: v.string(),
    /** The message's words, lower case, space-separated: what the search index tokenises. */
    text: v.string(),
    /** Start of the row's UTC hour: search filters on it to walk results newest hour first. */
    hour: v.number(),
    /**
     * Start of the row's 5-minute slot: how an hour with too many text matches for one search is
     * searched. Optional because rows stored before slots existed lack it, and Convex refuses a
     * deploy whose schema its stored documents do not match; retention clears them within a day.
     */
    slot: v.optional(v.number()),
  })
    .index("by_ts", ["ts"])
    .index("by_deployment_ts", ["deployment", "ts"])
    .index("by_function_ts", ["functionPath", "ts"])
    .index("by_function_level_ts", ["functionPath", "level", "ts"])
    .index("by_level_ts", ["level", "ts"])
    .index("by_request", ["requestId", "ts"])
    .index("by_correlation", ["correlationId", "ts"])
    .searchIndex("search_text", {
      searchField: "text",
      filterFields: ["hour", "slot", "deployment", "level", "functionPath", "kind"],
    }),

  /** The team's saved searches: a name and a query, opened by `/logs?saved=<id>`. */
  logSavedSearches: defineTable({
    name: v.string(),
    query: v.string(),
    savedBy: v.string(),
    savedAt: v.number(),
  }).index("by_name", ["name"]),

  /** Events received per deployment per minute (any topic): a missing minute between two is a gap. */
  logStreamMinutes: defineTable({
    deployment: v.string(),
    minute: v.number(),
    events: v.number(),
  })
    .index("by_deployment_minute", ["deployment", "minute"])
    .index("by_minute", ["minute"]),
};
