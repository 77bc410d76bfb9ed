/**
 * The Usage page's functions: the month to date against the plan, the top consumers by function,
 * the plan itself (set by an admin, audited) and Convex's own figures for the connected deployment.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { recordAudit } from "../lib/audit";
import { loadConnection } from "../deployment/read";
import { appError } from "../lib/errors";
import { adminMutation, operatorMutation, viewerQuery } from "../lib/functions";
import { dateKey, localDate, periodOf } from "../lib/periods";
import { upsertByIndex } from "../lib/upsert";
import { getTimeZone } from "../settings/read";
import { compareWithConvex } from "./model/convexFigures";
import { addFlow, ZERO_FLOW, type FlowTotals } from "./model/metering";
import { customLimitsProblem, flowValue, planName, USAGE_METRICS } from "./model/plans";
import { checkNow, loadUsageMonth } from "./read";
import { planIdValidator, planLimitsValidator } from "./tables";

/** Function-day rows one top-consumers read may take: functions × days of a month. */
const MAX_FUNCTION_ROWS = 8000;
/** Consumers listed per measure. */
const TOP_COUNT = 10;
/** Refreshes of Convex's figures closer together than this reuse the last answer. */
const REFRESH_INTERVAL_MS = 60_000;

export const summary = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => await loadUsageMonth(ctx, now),
});

/** For the Overview tile: the worst metric's state and the next crossing ahead. */
export const headline = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => {
    const month = await loadUsageMonth(ctx, now);
    const worst =
      month.worst === null ? null : { ...month.worst, included: month.plan.limits[month.worst.metric] };
    return {
      plan: month.plan.plan,
      worst,
      nextCrossing: month.nextCrossing,
      month: month.month,
      timeZone: month.timeZone,
    };
  },
});

type Consumer = FlowTotals & { deployment: string; functionPath: string };

export const topFunctions = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => {
    checkNow(now);
    const timeZone = await getTimeZone(ctx);
    const month = periodOf("monthly", now, timeZone);
    const rows = await ctx.db
      .query("usageFunctionMonthly")
      .withIndex("by_month", (q) => q.eq("month", dateKey(localDate(month.start, timeZone)).slice(0, 7)))
      .take(MAX_FUNCTION_ROWS);
    const consumers = new Map<string, Consumer>();
    for (const row of rows) {
      const key = JSON.stringify([row.deployment, row.functionPath]);
      const entry = consumers.get(key) ?? {
        deployment: row.deployment,
        functionPath: row.functionPath,
        ...ZERO_FLOW,
      };
      consumers.set(key, { ...entry, ...addFlow(entry, row) });
    }
    const all = [...consumers.values()];
    const top = (measure: (consumer: Consumer) => number) =>
      all
        .map((consumer) => ({
          deployment: consumer.deployment,
          functionPath: consumer.functionPath,
          value: measure(consumer),
        }))
        .filter((entry) => entry.value > 0)
        .sort((a, b) => b.value - a.value)
        .slice(0, TOP_COUNT);
    return {
      calls: top((c) => flowValue("functionCalls", c)),
      databaseIo: top((c) => flowValue("databaseIo", c)),
      actionCompute: top((c) => flowValue("actionCompute", c)),
      dataEgress: top((c) => flowValue("dataEgress", c)),
      truncated: rows.length === MAX_FUNCTION_ROWS,
    };
  },
});

export const setPlan = adminMutation({
  args: { plan: planIdValidator, customLimits: v.optional(planLimitsValidator) },
  handler: async (ctx, { plan, customLimits }) => {
    if (plan === "custom") {
      if (customLimits === undefined)
        throw appError("VALIDATION_ERROR", "Custom limits need an amount for every metric.");
      const problem = customLimitsProblem(customLimits);
      if (problem !== null) throw appError("VALIDATION_ERROR", problem);
    } else if (customLimits !== undefined) {
      throw appError(
        "VALIDATION_ERROR",
        `The ${planName(plan)} plan has fixed amounts; choose custom limits to set your own.`,
      );
    }
    const stored = await ctx.db.query("usagePlan").first();
    const fields = {
      plan,
      customLimits: customLimits ?? null,
      updatedAt: Date.now(),
      updatedBy: ctx.user.email,
    };
    await upsertByIndex(ctx, "usagePlan", (q) => q, { insert: fields, patch: () => fields });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "usage.plan_changed",
      target: planName(plan),
      details: {
        from: stored === null ? null : planName(stored.plan),
        ...(customLimits === undefined
          ? {}
          : Object.fromEntries(USAGE_METRICS.map((metric) => [metric, customLimits[metric]]))),
      },
    });
  },
});

/** Convex's own figures for the connected deployment beside ours; never the deploy key. */
export const convexFigures = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => {
    const connection = await loadConnection(ctx);
    if (connection === null) return { connected: null, figures: null };
    const stored = await ctx.db.query("usageConvexFigures").first();
    if (stored === null || stored.deployment !== connection.name) {
      return { connected: connection.name, figures: null };
    }
    const month = await loadUsageMonth(ctx, now);
    const ours = Object.fromEntries(
      month.metrics.map((metric) => [
        metric.metric,
        metric.byDeployment.find((entry) => entry.deployment === connection.name)?.value ?? 0,
      ]),
    );
    return {
      connected: connection.name,
      figures: {
        fetchedAt: stored.fetchedAt,
        state: stored.state,
        problem: stored.problem,
        seedStatus: stored.seedStatus,
        watched: month.deployments.includes(connection.name),
        rows: stored.state === "ok" ? compareWithConvex(ours, stored.metrics) : [],
      },
    };
  },
});

/** Asks the connected deployment for its current usage; the answer lands in convexFigures. */
export const refreshConvexFigures = operatorMutation({
  args: {},
  handler: async (ctx) => {
    const connection = await loadConnection(ctx);
    if (connection === null)
      throw appError("NOT_FOUND", "No deployment is connected: an admin connects one in Settings.");
    const stored = await ctx.db.query("usageConvexFigures").first();
    if (
      stored !== null &&
      stored.deployment === connection.name &&
      Date.now() - stored.fetchedAt < REFRESH_INTERVAL_MS
    ) {
      return { scheduled: false };
    }
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "usage.convex_figures_requested",
      target: connection.name,
    });
    await ctx.scheduler.runAfter(0, internal.usage.convexFigures.fetch, {});
    return { scheduled: true };
  },
});
