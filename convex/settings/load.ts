import type { QueryCtx } from "../_generated/server";
import { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from "../metrics/model/health";
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

/** The thresholds every health decision compares against: stored ones, else the seeds' defaults. */
export async function loadAlertThresholds(ctx: QueryCtx): Promise<AlertThresholds> {
  const stored = await ctx.db.query("consoleSettings").first();
  return stored?.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS;
}
