/**
 * Usage reads other domains may use (the runbook's capacity-planning evidence). Every read is an
 * index range over daily rollups: days × deployments, never events. The metrics ingest and its
 * retention sweep write the daily rollups through the two helpers re-exported below.
 */
import type { QueryCtx } from "../_generated/server";
import { appError } from "../lib/errors";
import { dateKey, localDate, periodOf } from "../lib/periods";
import { getTimeZone } from "../settings/read";
import { DAY_MS, STORAGE_SLOPE_WINDOW_DAYS } from "./model/forecast";
import { DEFAULT_PLAN, limitsOf, type PlanId, type PlanLimits } from "./model/plans";
import { summarizeUsage, type UsageSummary } from "./model/summary";

export { deleteUsageDaysOlderThan, recordUsage } from "./store";

/** Deployments × days (a month plus the slope window) stays far below this. */
const MAX_DAY_ROWS = 5000;

export type TeamPlan = {
  plan: PlanId;
  customLimits: PlanLimits | null;
  limits: PlanLimits;
  /** False until an admin picks a plan: the default applies. */
  chosen: boolean;
  updatedAt: number | null;
  updatedBy: string | null;
};

export async function loadPlan(ctx: QueryCtx): Promise<TeamPlan> {
  const stored = await ctx.db.query("usagePlan").first();
  if (stored === null) {
    return {
      plan: DEFAULT_PLAN,
      customLimits: null,
      limits: limitsOf(DEFAULT_PLAN, null),
      chosen: false,
      updatedAt: null,
      updatedBy: null,
    };
  }
  return {
    plan: stored.plan,
    customLimits: stored.customLimits,
    limits: limitsOf(stored.plan, stored.customLimits),
    chosen: true,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
  };
}

export function checkNow(now: number): void {
  if (!Number.isFinite(now) || now <= 0)
    throw appError("VALIDATION_ERROR", "The time must be a positive instant.");
}

export type UsageMonth = UsageSummary & {
  plan: TeamPlan;
  timeZone: string;
  month: { key: string; start: number; end: number };
  truncated: boolean;
};

/** The team's month to date at `now`, in its time zone, against its plan. */
export async function loadUsageMonth(ctx: QueryCtx, now: number): Promise<UsageMonth> {
  checkNow(now);
  const timeZone = await getTimeZone(ctx);
  const month = periodOf("monthly", now, timeZone);
  const windowStart = Math.min(month.start, now - STORAGE_SLOPE_WINDOW_DAYS * DAY_MS);
  const rows = await ctx.db
    .query("usageDaily")
    .withIndex("by_day", (q) => q.gte("day", dateKey(localDate(windowStart, timeZone))))
    .take(MAX_DAY_ROWS);
  const plan = await loadPlan(ctx);
  return {
    ...summarizeUsage({ rows, month, now, limits: plan.limits }),
    plan,
    timeZone,
    month,
    truncated: rows.length === MAX_DAY_ROWS,
  };
}
