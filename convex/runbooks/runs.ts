/** Starting, closing and ticking checklist runs. Every change writes its audit row in the same transaction. */
import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { operatorMutation, viewerMutation, type SignedInUser } from "../lib/functions";
import { getTimeZone } from "../settings/read";
import { acceptsTicks, appendBounded } from "./model/progress";
import {
  currentVersionOf,
  ensureCurrentRuns,
  getRunOrThrow,
  getTemplateOrThrow,
  getVersionOrThrow,
  isRecurring,
  MAX_TICK_EVENTS,
  ticksOf,
} from "./store";
import { checkOptionalUrl, checkText } from "./validation";

const MAX_NOTE = 1000;
const MAX_RUN_TITLE = 120;

/**
 * Creates this period's runs (and seeds the templates) on first view. Any signed-in role may
 * call it: it only brings into existence what the period already implies, and it is idempotent.
 */
export const ensureCurrent = viewerMutation({
  args: {},
  handler: async (ctx) => {
    return { created: await ensureCurrentRuns(ctx, ctx.user, Date.now()) };
  },
});

/** Starts an on-demand runbook, e.g. the outage procedure, named after the incident. */
export const start = operatorMutation({
  args: { templateId: v.id("runbookTemplates"), title: v.string() },
  handler: async (ctx, { templateId, title }) => {
    const template = await getTemplateOrThrow(ctx, templateId);
    if (isRecurring(template.cadence)) {
      throw appError(
        "VALIDATION_ERROR",
        `${template.title} runs every period; it cannot be started by hand.`,
      );
    }
    const name = checkText(title, "The run's title", MAX_RUN_TITLE);
    const version = await currentVersionOf(ctx, template);
    const now = Date.now();
    const runId = await ctx.db.insert("runbookRuns", {
      templateId,
      versionId: version._id,
      cadence: "on_demand",
      periodKey: `started-${now}`,
      periodStart: now,
      periodEnd: null,
      timeZone: await getTimeZone(ctx),
      title: name,
      status: "open",
      itemCount: version.items.length,
      startedAt: now,
      startedBy: ctx.user.email,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "runbook.run_started",
      target: `${template.slug}: ${name}`,
      details: { runId, version: version.version },
    });
    return runId;
  },
});

/** Closes an on-demand run. The page asks for a typed confirmation when items are unticked. */
export const close = operatorMutation({
  args: { runId: v.id("runbookRuns") },
  handler: async (ctx, { runId }) => {
    const run = await getRunOrThrow(ctx, runId);
    if (run.cadence !== "on_demand") {
      throw appError("VALIDATION_ERROR", "A recurring checklist ends with its period; it cannot be closed.");
    }
    if (run.status === "closed") {
      throw appError("CONFLICT", `${run.title} was already closed by ${run.closedBy ?? "someone"}.`);
    }
    const ticked = (await ticksOf(ctx, runId)).filter((tick) => tick.ticked).length;
    await ctx.db.patch("runbookRuns", runId, {
      status: "closed",
      closedAt: Date.now(),
      closedBy: ctx.user.email,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "runbook.run_closed",
      target: run.title,
      details: { runId, ticked, total: run.itemCount },
    });
  },
});

async function tickableRun(ctx: MutationCtx, runId: Id<"runbookRuns">, itemKey: string) {
  const run = await getRunOrThrow(ctx, runId);
  if (!acceptsTicks(run, Date.now())) {
    throw appError(
      "CONFLICT",
      run.closedAt !== undefined
        ? `${run.title} is closed; its ticks stay as they were.`
        : `The period of ${run.title} has ended; its run stays in the history as it was.`,
    );
  }
  const version = await getVersionOrThrow(ctx, run.versionId);
  const item = version.items.find((candidate) => candidate.key === itemKey);
  if (item === undefined) throw appError("NOT_FOUND", "That item is not part of this checklist run.");
  const tick = await ctx.db
    .query("runbookTicks")
    .withIndex("by_run_item", (q) => q.eq("runId", runId).eq("itemKey", itemKey))
    .unique();
  return { run, item, tick };
}

async function audit(
  ctx: MutationCtx,
  user: SignedInUser,
  action: "runbook.item_ticked" | "runbook.item_unticked",
  run: Doc<"runbookRuns">,
  item: { key: string; text: string },
  note?: string,
) {
  await recordAudit(ctx, {
    actor: user,
    action,
    // The target names the item as people read it; its key is an internal slug.
    target: `${run.title}: ${item.text}`.slice(0, 200),
    details: { runId: run._id, note: note === undefined ? null : note.slice(0, 200) },
  });
}

/**
 * Ticks one item. Each (run, item) has its own document, so operators ticking different items
 * of one run at the same moment write different documents and both succeed.
 */
export const tick = operatorMutation({
  args: {
    runId: v.id("runbookRuns"),
    itemKey: v.string(),
    note: v.optional(v.string()),
    evidenceUrl: v.optional(v.string()),
  },
  handler: async (ctx, { runId, itemKey, note, evidenceUrl }) => {
    const { run, item, tick } = await tickableRun(ctx, runId, itemKey);
    const cleanNote =
      note === undefined || note.trim() === "" ? undefined : checkText(note, "A note", MAX_NOTE);
    const cleanUrl = checkOptionalUrl(evidenceUrl, "The evidence link");
    if (tick?.ticked === true) {
      throw appError("CONFLICT", `${tick.byEmail} already ticked “${item.text}”.`);
    }
    const at = Date.now();
    const event = {
      action: "ticked" as const,
      byId: ctx.user._id,
      byEmail: ctx.user.email,
      at,
      note: cleanNote,
      evidenceUrl: cleanUrl,
    };
    const fields = { ticked: true, byEmail: ctx.user.email, at, note: cleanNote, evidenceUrl: cleanUrl };
    if (tick === null) {
      await ctx.db.insert("runbookTicks", { runId, itemKey, ...fields, history: [event] });
    } else {
      await ctx.db.patch("runbookTicks", tick._id, {
        ...fields,
        history: appendBounded(tick.history, event, MAX_TICK_EVENTS),
      });
    }
    await audit(ctx, ctx.user, "runbook.item_ticked", run, item, cleanNote);
  },
});

/** Unticks one item; the earlier tick stays in the item's history. */
export const untick = operatorMutation({
  args: { runId: v.id("runbookRuns"), itemKey: v.string() },
  handler: async (ctx, { runId, itemKey }) => {
    const { run, item, tick } = await tickableRun(ctx, runId, itemKey);
    if (tick === null || !tick.ticked) {
      throw appError("CONFLICT", `“${item.text}” is not ticked.`);
    }
    const at = Date.now();
    await ctx.db.patch("runbookTicks", tick._id, {
      ticked: false,
      byEmail: ctx.user.email,
      at,
      note: undefined,
      evidenceUrl: undefined,
      history: appendBounded(
        tick.history,
        { action: "unticked", byId: ctx.user._id, byEmail: ctx.user.email, at },
        MAX_TICK_EVENTS,
      ),
    });
    await audit(ctx, ctx.user, "runbook.item_unticked", run, item);
  },
});
