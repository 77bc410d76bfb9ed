import { defineTable } from "convex/server";
import { v } from "convex/values";
import { PLAN_IDS, USAGE_METRICS } from "./model/plans";

const flowFields = {
  calls: v.number(),
  computeGbHours: v.number(),
  ioReadBytes: v.number(),
  ioWriteBytes: v.number(),
  egressBytes: v.number(),
  searchQueryBytes: v.number(),
};

export const storageReportValidator = v.object({
  at: v.number(),
  documentBytes: v.number(),
  indexBytes: v.number(),
  fileBytes: v.number(),
  backupBytes: v.number(),
  vectorBytes: v.number(),
  textBytes: v.number(),
});

export const planLimitsValidator = v.object(
  Object.fromEntries(USAGE_METRICS.map((metric) => [metric, v.number()])) as Record<
    (typeof USAGE_METRICS)[number],
    ReturnType<typeof v.number>
  >,
);

export const planIdValidator = v.union(...PLAN_IDS.map((plan) => v.literal(plan)));

/** Convex's own meter for the connected deployment, as last fetched (stored and passed between functions). */
export const convexFiguresFields = {
  deployment: v.string(),
  fetchedAt: v.number(),
  state: v.union(v.literal("ok"), v.literal("failed")),
  /** Why the figures could not be read, as a sentence; null when they were. */
  problem: v.union(v.string(), v.null()),
  seedStatus: v.union(v.string(), v.null()),
  metrics: v.array(
    v.object({ metric: v.string(), unit: v.string(), currentDay: v.number(), currentMonth: v.number() }),
  ),
};

/**
 * Usage rollups the log-stream ingest writes: one row per deployment per day (in the team's time
 * zone) and one per function per deployment per day. Pages read these, never events, so what they
 * read grows with days × deployments × functions, not with traffic.
 */
export const usageTables = {
  usageDaily: defineTable({
    deployment: v.string(),
    /** The local date in the team's time zone when written, `2026-11-24`. */
    day: v.string(),
    /** The instant that local day starts. */
    dayStart: v.number(),
    ...flowFields,
    /** The day's earliest metered flow event (absent on rows written before it was kept). */
    firstFlowAt: v.optional(v.number()),
    /** The day's latest storage report; null until one arrives (self-hosted backends send none). */
    storage: v.union(storageReportValidator, v.null()),
  })
    .index("by_deployment_day", ["deployment", "day"])
    .index("by_day", ["day"])
    .index("by_dayStart", ["dayStart"]),

  /**
   * Per function and month (local to the team's time zone): the Usage page's top functions read one
   * row per function and deployment, however late in the month.
   */
  usageFunctionMonthly: defineTable({
    deployment: v.string(),
    month: v.string(),
    monthStart: v.number(),
    functionPath: v.string(),
    ...flowFields,
  })
    .index("by_key", ["deployment", "month", "functionPath"])
    .index("by_month", ["month"])
    .index("by_monthStart", ["monthStart"]),

  /** One row: the team's plan as an admin last set it. Absent means the default plan. */
  usagePlan: defineTable({
    plan: planIdValidator,
    customLimits: v.union(planLimitsValidator, v.null()),
    updatedAt: v.number(),
    updatedBy: v.string(),
  }),

  /** One row: Convex's own meter for the connected deployment, as last fetched. */
  usageConvexFigures: defineTable(convexFiguresFields),
};
