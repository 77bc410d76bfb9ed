import { defineTable } from "convex/server";
import { v } from "convex/values";

const sideTotals = v.object({
  calls: v.number(),
  failures: v.number(),
  histogram: v.array(v.number()),
  minDurationMs: v.optional(v.number()),
  maxDurationMs: v.number(),
  readDocuments: v.number(),
  readDocumentsSquares: v.optional(v.number()),
});

/** A deploy's verdict, computed once its window closed, in chunks over the minute rollups. */
export const functionTables = {
  deployVerdicts: defineTable({
    deployment: v.string(),
    deployTs: v.number(),
    windowMs: v.number(),
    state: v.union(v.literal("computing"), v.literal("done")),
    /** Where the chunked read of minute rollups stands; null before the first chunk and once done. */
    cursor: v.union(v.string(), v.null()),
    /** Functions flagged, with what regressed: the data an alert rule can read. */
    regressions: v.array(v.object({ functionPath: v.string(), kinds: v.array(v.string()) })),
    newFunctions: v.number(),
    goneFunctions: v.number(),
    functionsCompared: v.number(),
  }).index("by_deploy", ["deployment", "deployTs"]),

  /** Each function's totals over the window before and after one deploy. */
  deployFunctions: defineTable({
    verdictId: v.id("deployVerdicts"),
    functionPath: v.string(),
    functionType: v.string(),
    before: sideTotals,
    after: sideTotals,
  }).index("by_verdict", ["verdictId", "functionPath"]),
};
