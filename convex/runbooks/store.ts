/** Reads and writes shared by the runbook functions. Every list is indexed and bounded. */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { periodOf, type Cadence } from "../lib/periods";
import { getTimeZone } from "../settings/read";
import { runProgress } from "./model/progress";
import { SEED_TEMPLATES } from "./seedTemplates";

/** Templates a console holds; the seed has eleven. */
const MAX_TEMPLATES = 100;
/** Items per template version; also bounds the tick documents of one run. */
export const MAX_ITEMS = 100;
/** Tick and untick events kept per item of one run. */
export const MAX_TICK_EVENTS = 50;

type Actor = { _id: Id<"users">; email: string } | null;

export function isRecurring(cadence: Doc<"runbookTemplates">["cadence"]): cadence is Cadence {
  return cadence !== "on_demand";
}

export async function listTemplates(ctx: QueryCtx): Promise<Doc<"runbookTemplates">[]> {
  return await ctx.db.query("runbookTemplates").withIndex("by_order").take(MAX_TEMPLATES);
}

export async function getTemplateOrThrow(ctx: QueryCtx, templateId: Id<"runbookTemplates">) {
  const template = await ctx.db.get("runbookTemplates", templateId);
  if (template === null) throw appError("NOT_FOUND", "That runbook template does not exist.");
  return template;
}

export async function getRunOrThrow(ctx: QueryCtx, runId: Id<"runbookRuns">) {
  const run = await ctx.db.get("runbookRuns", runId);
  if (run === null) throw appError("NOT_FOUND", "That checklist run does not exist.");
  return run;
}

export async function currentVersionOf(ctx: QueryCtx, template: Doc<"runbookTemplates">) {
  const version = await ctx.db
    .query("runbookTemplateVersions")
    .withIndex("by_template_version", (q) =>
      q.eq("templateId", template._id).eq("version", template.currentVersion),
    )
    .unique();
  if (version === null)
    throw appError("NOT_FOUND", `${template.title} has no version ${template.currentVersion}.`);
  return version;
}

export async function getVersionOrThrow(ctx: QueryCtx, versionId: Id<"runbookTemplateVersions">) {
  const version = await ctx.db.get("runbookTemplateVersions", versionId);
  if (version === null) throw appError("NOT_FOUND", "That template version does not exist.");
  return version;
}

export async function ticksOf(ctx: QueryCtx, runId: Id<"runbookRuns">): Promise<Doc<"runbookTicks">[]> {
  return await ctx.db
    .query("runbookTicks")
    .withIndex("by_run_item", (q) => q.eq("runId", runId))
    .take(MAX_ITEMS);
}

/** Inserts the seed templates whose slug is missing; idempotent, and concurrent calls conflict and retry. */
async function seedTemplates(ctx: MutationCtx, actor: Actor): Promise<number> {
  let seeded = 0;
  for (const seed of SEED_TEMPLATES) {
    const existing = await ctx.db
      .query("runbookTemplates")
      .withIndex("by_slug", (q) => q.eq("slug", seed.slug))
      .first();
    if (existing !== null) continue;
    const templateId = await ctx.db.insert("runbookTemplates", {
      slug: seed.slug,
      title: seed.title,
      description: seed.description,
      cadence: seed.cadence,
      order: seed.order,
      currentVersion: 1,
    });
    await ctx.db.insert("runbookTemplateVersions", {
      templateId,
      version: 1,
      title: seed.title,
      items: seed.items,
      createdAt: Date.now(),
      createdBy: "seed",
    });
    seeded++;
  }
  if (seeded > 0) {
    await recordAudit(ctx, {
      actor,
      action: "runbook.templates_seeded",
      target: "runbooks",
      details: { templates: seeded },
    });
  }
  return seeded;
}

/**
 * The run of a recurring template for the period `now` falls in, created when missing. The
 * lookup reads the (template, period) index range, so two first views at the same moment
 * conflict and Convex retries the second, which then finds the first's run.
 */
async function ensurePeriodRun(
  ctx: MutationCtx,
  template: Doc<"runbookTemplates">,
  now: number,
  timeZone: string,
  actor: Actor,
): Promise<{ runId: Id<"runbookRuns">; created: boolean }> {
  if (!isRecurring(template.cadence)) {
    throw appError("VALIDATION_ERROR", `${template.title} is started on demand, not per period.`);
  }
  const period = periodOf(template.cadence, now, timeZone);
  const existing = await ctx.db
    .query("runbookRuns")
    .withIndex("by_template_period", (q) => q.eq("templateId", template._id).eq("periodKey", period.key))
    .first();
  if (existing !== null) return { runId: existing._id, created: false };
  const version = await currentVersionOf(ctx, template);
  const runId = await ctx.db.insert("runbookRuns", {
    templateId: template._id,
    versionId: version._id,
    cadence: template.cadence,
    periodKey: period.key,
    periodStart: period.start,
    periodEnd: period.end,
    timeZone,
    title: version.title,
    status: "open",
    itemCount: version.items.length,
    startedAt: now,
    startedBy: actor?.email ?? "system",
  });
  await recordAudit(ctx, {
    actor,
    action: "runbook.run_started",
    target: `${template.slug} ${period.key}`,
    details: { runId, version: version.version, onFirstView: actor !== null },
  });
  return { runId, created: true };
}

/** Seeds the templates if needed and makes sure every recurring template has its current run. */
export async function ensureCurrentRuns(ctx: MutationCtx, actor: Actor, now: number): Promise<number> {
  await seedTemplates(ctx, actor);
  const timeZone = await getTimeZone(ctx);
  let created = 0;
  for (const template of await listTemplates(ctx)) {
    if (!isRecurring(template.cadence)) continue;
    if ((await ensurePeriodRun(ctx, template, now, timeZone, actor)).created) created++;
  }
  return created;
}

type TickView = {
  itemKey: string;
  ticked: boolean;
  byEmail: string;
  at: number;
  note: string | null;
  evidenceUrl: string | null;
  /** Earlier ticks and unticks, oldest first. */
  history: Array<{ action: "ticked" | "unticked"; byEmail: string; at: number; note: string | null }>;
};

function tickView(tick: Doc<"runbookTicks">): TickView {
  return {
    itemKey: tick.itemKey,
    ticked: tick.ticked,
    byEmail: tick.byEmail,
    at: tick.at,
    note: tick.note ?? null,
    evidenceUrl: tick.evidenceUrl ?? null,
    history: tick.history.map((event) => ({
      action: event.action,
      byEmail: event.byEmail,
      at: event.at,
      note: event.note ?? null,
    })),
  };
}

/** A run with the wording of the version it started with, its ticks and its progress. */
export async function runView(ctx: QueryCtx, run: Doc<"runbookRuns">, now: number) {
  const version = await getVersionOrThrow(ctx, run.versionId);
  const ticks = await ticksOf(ctx, run._id);
  const byItem = new Map(ticks.map((tick) => [tick.itemKey, tick]));
  const items = version.items.map((item) => {
    const tick = byItem.get(item.key);
    return {
      key: item.key,
      text: item.text,
      help: item.help ?? null,
      link: item.link ?? null,
      evidence: item.evidence ?? null,
      tick: tick === undefined ? null : tickView(tick),
    };
  });
  const ticked = items.filter((item) => item.tick?.ticked === true).length;
  return {
    _id: run._id,
    templateId: run.templateId,
    cadence: run.cadence,
    title: run.title,
    periodKey: run.periodKey,
    periodStart: run.periodStart,
    periodEnd: run.periodEnd,
    timeZone: run.timeZone,
    version: version.version,
    startedAt: run.startedAt,
    startedBy: run.startedBy,
    closedAt: run.closedAt ?? null,
    closedBy: run.closedBy ?? null,
    items,
    progress: runProgress(
      { itemCount: run.itemCount, ticked, periodEnd: run.periodEnd, closedAt: run.closedAt },
      now,
    ),
  };
}
