/**
 * What the Runbooks page and the Overview tile read: the current run of every recurring
 * template, open on-demand runs, per-template history, templates for the editor, and evidence.
 * Queries take `now` from the client (rounded to the minute) so results stay cacheable.
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { lastHourHealth, mostRecentDeployment } from "../metrics/read";
import { viewerQuery } from "../lib/functions";
import { periodOf, previousPeriod, recentPeriods } from "../lib/periods";
import { evaluateEvidence } from "./model/evidence";
import { runProgress, type HistoryState } from "./model/progress";
import { loadBackupSettings, newestVerifiedBackup } from "../backups/read";
import { loadHealthThresholds } from "../alerts/read";
import { getTimeZone } from "../settings/read";
import { loadUsageMonth } from "../usage/read";
import {
  currentVersionOf,
  getTemplateOrThrow,
  getVersionOrThrow,
  isRecurring,
  listTemplates,
  runView,
  ticksOf,
} from "./store";

const MAX_OPEN_ON_DEMAND = 20;
const MAX_HISTORY = 30;
const DEFAULT_HISTORY = 14;
/** Recent runs per recurring template the Overview tile counts overdue ones in. */
const SUMMARY_LOOKBACK = 7;
const MAX_VERSIONS_LISTED = 20;

function templateSummary(template: Doc<"runbookTemplates">) {
  return {
    _id: template._id,
    slug: template.slug,
    title: template.title,
    description: template.description,
    cadence: template.cadence,
    currentVersion: template.currentVersion,
  };
}

async function runForPeriod(ctx: QueryCtx, template: Doc<"runbookTemplates">, periodKey: string) {
  return await ctx.db
    .query("runbookRuns")
    .withIndex("by_template_period", (q) => q.eq("templateId", template._id).eq("periodKey", periodKey))
    .first();
}

async function progressOf(ctx: QueryCtx, run: Doc<"runbookRuns">, now: number) {
  const ticked = (await ticksOf(ctx, run._id)).filter((tick) => tick.ticked).length;
  return runProgress(
    { itemCount: run.itemCount, ticked, periodEnd: run.periodEnd, closedAt: run.closedAt },
    now,
  );
}

/** The Runbooks page: this period's run of each recurring template, and open on-demand runs. */
export const board = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => {
    const timeZone = await getTimeZone(ctx);
    const templates = await listTemplates(ctx);
    const current = [];
    let missingRuns = 0;
    for (const template of templates) {
      if (!isRecurring(template.cadence)) continue;
      const period = periodOf(template.cadence, now, timeZone);
      const run = await runForPeriod(ctx, template, period.key);
      if (run === null) missingRuns++;
      const previousKey = previousPeriod(template.cadence, now, timeZone).key;
      const previousRun = await runForPeriod(ctx, template, previousKey);
      current.push({
        template: templateSummary(template),
        period,
        run: run === null ? null : await runView(ctx, run, now),
        /** The period before, so an overdue one stays in sight next to the current run. */
        previous:
          previousRun === null ? null : { key: previousKey, ...(await progressOf(ctx, previousRun, now)) },
      });
    }
    const openRuns = await ctx.db
      .query("runbookRuns")
      .withIndex("by_cadence_status", (q) => q.eq("cadence", "on_demand").eq("status", "open"))
      .order("desc")
      .take(MAX_OPEN_ON_DEMAND);
    return {
      timeZone,
      /** True until the first view seeds the runbook's templates. */
      needsSeed: templates.length === 0,
      missingRuns,
      current,
      onDemandTemplates: templates.filter((template) => !isRecurring(template.cadence)).map(templateSummary),
      openRuns: await Promise.all(openRuns.map((run) => runView(ctx, run, now))),
    };
  },
});

/** One template's recent periods (or on-demand runs), newest first, with who ticked what. */
export const history = viewerQuery({
  args: { templateId: v.id("runbookTemplates"), now: v.number(), limit: v.optional(v.number()) },
  handler: async (ctx, { templateId, now, limit }) => {
    const template = await getTemplateOrThrow(ctx, templateId);
    const count = Math.max(1, Math.min(limit ?? DEFAULT_HISTORY, MAX_HISTORY));
    const runs = await ctx.db
      .query("runbookRuns")
      .withIndex("by_template_start", (q) => q.eq("templateId", templateId).lte("periodStart", now))
      .order("desc")
      .take(count);
    const versions = new Map<string, Doc<"runbookTemplateVersions">>();
    const views = [];
    for (const run of runs) {
      let version = versions.get(run.versionId);
      if (version === undefined) {
        version = await getVersionOrThrow(ctx, run.versionId);
        versions.set(run.versionId, version);
      }
      const ticks = await ticksOf(ctx, run._id);
      const textOf = new Map(version.items.map((item) => [item.key, item.text]));
      const ticked = ticks.filter((tick) => tick.ticked);
      views.push({
        _id: run._id,
        periodKey: run.periodKey,
        title: run.title,
        periodStart: run.periodStart,
        periodEnd: run.periodEnd,
        version: version.version,
        startedBy: run.startedBy,
        closedAt: run.closedAt ?? null,
        closedBy: run.closedBy ?? null,
        progress: runProgress(
          {
            itemCount: run.itemCount,
            ticked: ticked.length,
            periodEnd: run.periodEnd,
            closedAt: run.closedAt,
          },
          now,
        ),
        ticks: ticks
          .map((tick) => ({
            itemKey: tick.itemKey,
            itemText: textOf.get(tick.itemKey) ?? tick.itemKey,
            ticked: tick.ticked,
            byEmail: tick.byEmail,
            at: tick.at,
            note: tick.note ?? null,
            events: tick.history.length,
          }))
          .sort((a, b) => a.at - b.at),
        untickedItems: version.items
          .filter((item) => !ticked.some((tick) => tick.itemKey === item.key))
          .map((item) => item.text),
      });
    }
    const timeZone = await getTimeZone(ctx);
    const byKey = new Map(views.map((view) => [view.periodKey, view]));
    const strip: Array<{
      key: string;
      start: number;
      runId: string | null;
      state: HistoryState;
      ticked: number;
      total: number;
    }> = isRecurring(template.cadence)
      ? recentPeriods(template.cadence, now, timeZone, count)
          // The runbook did not exist before the template was seeded: those periods had no run to miss.
          .filter((period) => period.end > template._creationTime)
          .map((period) => {
            const view = byKey.get(period.key);
            return {
              key: period.key,
              start: period.start,
              runId: view?._id ?? null,
              state: view?.progress.state ?? "no_run",
              ticked: view?.progress.ticked ?? 0,
              total: view?.progress.total ?? 0,
            };
          })
      : views.map((view) => ({
          key: view.title,
          start: view.periodStart,
          runId: view._id,
          state: view.progress.state,
          ticked: view.progress.ticked,
          total: view.progress.total,
        }));
    return { template: templateSummary(template), timeZone, strip, runs: views };
  },
});

/** A template's current wording for the editor, and its earlier versions. */
export const template = viewerQuery({
  args: { templateId: v.id("runbookTemplates") },
  handler: async (ctx, { templateId }) => {
    const template = await getTemplateOrThrow(ctx, templateId);
    const version = await currentVersionOf(ctx, template);
    const versions = await ctx.db
      .query("runbookTemplateVersions")
      .withIndex("by_template_version", (q) => q.eq("templateId", templateId))
      .order("desc")
      .take(MAX_VERSIONS_LISTED);
    return {
      ...templateSummary(template),
      items: version.items.map((item) => ({
        key: item.key,
        text: item.text,
        help: item.help ?? null,
        link: item.link ?? null,
        evidence: item.evidence ?? null,
      })),
      versions: versions.map((row) => ({
        version: row.version,
        createdAt: row.createdAt,
        createdBy: row.createdBy,
        items: row.items.length,
      })),
    };
  },
});

/** The Overview's "checklists" tile: this period's progress per recurring checklist, overdue runs. */
export const summary = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => {
    const timeZone = await getTimeZone(ctx);
    const templates = await listTemplates(ctx);
    const current = [];
    let overdueRuns = 0;
    for (const template of templates) {
      if (!isRecurring(template.cadence)) continue;
      const period = periodOf(template.cadence, now, timeZone);
      const recent = await ctx.db
        .query("runbookRuns")
        .withIndex("by_template_start", (q) => q.eq("templateId", template._id).lte("periodStart", now))
        .order("desc")
        .take(SUMMARY_LOOKBACK);
      let currentProgress = null;
      for (const run of recent) {
        const progress = await progressOf(ctx, run, now);
        if (progress.overdue) overdueRuns++;
        if (run.periodKey === period.key) currentProgress = progress;
      }
      current.push({
        templateId: template._id,
        title: template.title,
        cadence: template.cadence,
        periodKey: period.key,
        periodEnd: period.end,
        ticked: currentProgress?.ticked ?? 0,
        total: currentProgress?.total ?? null,
      });
    }
    const openOnDemand = await ctx.db
      .query("runbookRuns")
      .withIndex("by_cadence_status", (q) => q.eq("cadence", "on_demand").eq("status", "open"))
      .take(MAX_OPEN_ON_DEMAND);
    return {
      timeZone,
      current,
      /** Overdue runs among the last seven periods of each recurring checklist. */
      overdueRuns,
      openOnDemand: openOnDemand.length,
    };
  },
});

async function usageFacts(ctx: QueryCtx, now: number) {
  const month = await loadUsageMonth(ctx, now);
  return {
    plan: month.plan.plan,
    worst: month.worst,
    nextCrossing: month.nextCrossing,
    timeZone: month.timeZone,
  };
}

/** Evidence beside items, from the last hour of the most recently active watched deployment. */
export const evidence = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => {
    const latest = await mostRecentDeployment(ctx);
    const health =
      latest === null
        ? { calls: 0, mutations: 0, errorRate: 0, p95Ms: null, occShare: 0 }
        : await lastHourHealth(ctx, latest.name, now);
    return evaluateEvidence({
      deployment: latest === null ? null : { name: latest.name, lastEventAt: latest.lastEventAt },
      health: {
        calls: health.calls,
        mutations: health.mutations,
        errorRate: health.errorRate,
        p95Ms: health.p95Ms,
        occShare: health.occShare,
      },
      thresholds: await loadHealthThresholds(ctx),
      backup: {
        newestVerifiedAt: (await newestVerifiedBackup(ctx))?.takenAt ?? null,
        targetMs: (await loadBackupSettings(ctx)).rpoTargetMs,
      },
      usage: await usageFacts(ctx, now),
      now,
    });
  },
});
