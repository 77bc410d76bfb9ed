import type { QueryCtx } from "../_generated/server";
import type { MetricSettings } from "./model/metricSettings";
import { DEFAULT_EDITABLE_SETTINGS, toMetricSettings, type EditableSettings } from "./model/settingsRules";

export async function loadEditableSettings(ctx: QueryCtx): Promise<EditableSettings> {
  const stored = await ctx.db.query("consoleSettings").first();
  if (stored === null) return DEFAULT_EDITABLE_SETTINGS;
  return {
    slowDurationMs: stored.slowDurationMs,
    slowDbCalls: stored.slowDbCalls,
    slowDocsScanned: stored.slowDocsScanned,
    rawRetentionHours: stored.rawRetentionHours,
    replayWindowMinutes: stored.replayWindowMinutes,
  };
}

/** The thresholds and windows the ingest and the retention sweep apply, as an admin last set them. */
export async function loadMetricSettings(ctx: QueryCtx): Promise<MetricSettings> {
  return toMetricSettings(await loadEditableSettings(ctx));
}
