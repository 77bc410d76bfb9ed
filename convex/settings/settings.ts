import { v } from "convex/values";
import { recordAudit } from "../audit/record";
import { appError } from "../lib/errors";
import { adminMutation, viewerQuery } from "../lib/functions";
import { DEFAULT_EDITABLE_SETTINGS, settingsProblems, type EditableSettings } from "./model/settingsRules";
import { loadEditableSettings } from "./load";

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
    const stored = await ctx.db.query("consoleSettings").first();
    const row = { ...values, updatedAt: Date.now(), updatedBy: ctx.user.email };
    if (stored === null) await ctx.db.insert("consoleSettings", row);
    else await ctx.db.patch("consoleSettings", stored._id, row);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "settings.updated",
      target: "thresholds and retention",
      details: Object.fromEntries(changed.map((key) => [key, `${before[key]} → ${values[key]}`])),
    });
  },
});
