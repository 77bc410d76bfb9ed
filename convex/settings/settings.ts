import { v } from "convex/values";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation, viewerQuery } from "../lib/functions";
import { isValidTimeZone } from "../lib/periods";
import { upsertByIndex } from "../lib/upsert";
import { DEFAULT_EDITABLE_SETTINGS, settingsProblems, type EditableSettings } from "./model/settingsRules";
import { getTimeZone, loadEditableSettings } from "./read";

export const get = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const stored = await ctx.db.query("consoleSettings").first();
    return {
      values: await loadEditableSettings(ctx),
      defaults: DEFAULT_EDITABLE_SETTINGS,
      updatedAt: stored?.updatedAt ?? null,
      updatedBy: stored?.updatedBy ?? null,
    };
  },
});

export const update = adminMutation({
  args: {
    slowDurationMs: v.number(),
    slowDbCalls: v.number(),
    slowDocsScanned: v.number(),
    rawRetentionHours: v.number(),
    replayWindowMinutes: v.number(),
  },
  handler: async (ctx, values: EditableSettings) => {
    const problems = settingsProblems(values);
    if (problems.length > 0) throw appError("VALIDATION_ERROR", problems.join(" "));
    const before = await loadEditableSettings(ctx);
    const changed = (Object.keys(values) as Array<keyof EditableSettings>).filter(
      (key) => before[key] !== values[key],
    );
    if (changed.length === 0) return;
    const row = { ...values, updatedAt: Date.now(), updatedBy: ctx.user.email };
    await upsertByIndex(ctx, "consoleSettings", (q) => q, { insert: row, patch: () => row });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "settings.updated",
      target: "thresholds and retention",
      details: Object.fromEntries(changed.map((key) => [key, `${before[key]} → ${values[key]}`])),
    });
  },
});

/** The team's time zone, shown and set on the Settings page. */
export const timeZone = viewerQuery({
  args: {},
  handler: async (ctx) => await getTimeZone(ctx),
});

/**
 * The team's time zone: usage days and months, runbook periods and the backup schedule are counted
 * in it. Runbook runs already created keep the zone they were created in.
 */
export const setTimeZone = adminMutation({
  args: { timeZone: v.string() },
  handler: async (ctx, { timeZone }) => {
    const zone = timeZone.trim();
    if (!isValidTimeZone(zone)) {
      throw appError("VALIDATION_ERROR", `“${zone}” is not an IANA time zone name such as Europe/Berlin.`);
    }
    const existing = await ctx.db.query("teamTimeZone").first();
    if (existing?.timeZone === zone) return;
    const fields = { timeZone: zone, updatedAt: Date.now(), updatedBy: ctx.user.email };
    await upsertByIndex(ctx, "teamTimeZone", (q) => q, { insert: fields, patch: () => fields });
    await recordAudit(ctx, {
      actor: ctx.user,
      // The action keeps the name it was first written under, so older audit rows still read.
      action: "runbook.timezone_changed",
      target: "team time zone",
      details: { from: existing?.timeZone ?? "UTC", to: zone },
    });
  },
});
