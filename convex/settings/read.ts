/** The settings other domains read: metric thresholds and windows, the team time zone. */
import type { QueryCtx } from "../_generated/server";
import { DEFAULT_TIME_ZONE } from "../lib/periods";
import type { MetricSettings } from "./model/metricSettings";
import { DEFAULT_EDITABLE_SETTINGS, toMetricSettings, type EditableSettings } from "./model/settingsRules";

export { DEFAULT_METRIC_SETTINGS, type MetricSettings } from "./model/metricSettings";

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

/** The zone the team's days, months, runbook periods and backup schedule are counted in. */
export async function getTimeZone(ctx: QueryCtx): Promise<string> {
  const stored = await ctx.db.query("teamTimeZone").first();
  return stored?.timeZone ?? DEFAULT_TIME_ZONE;
}
