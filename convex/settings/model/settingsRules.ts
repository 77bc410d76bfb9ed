/** What an admin may set for thresholds and retention, and how settings map to what the ingest uses. */
import { DEFAULT_METRIC_SETTINGS, type MetricSettings } from "./metricSettings";

export type EditableSettings = {
  slowDurationMs: number;
  slowDbCalls: number;
  slowDocsScanned: number;
  rawRetentionHours: number;
  replayWindowMinutes: number;
};

export const DEFAULT_EDITABLE_SETTINGS: EditableSettings = {
  slowDurationMs: DEFAULT_METRIC_SETTINGS.slow.durationMs,
  slowDbCalls: DEFAULT_METRIC_SETTINGS.slow.dbCalls,
  slowDocsScanned: DEFAULT_METRIC_SETTINGS.slow.docsScanned,
  rawRetentionHours: DEFAULT_METRIC_SETTINGS.rawRetentionMs / 3_600_000,
  replayWindowMinutes: DEFAULT_METRIC_SETTINGS.replayWindowMs / 60_000,
};

/** Bounds that keep the console inside Convex's limits: raw rows past a week would outgrow the sweep. */
export const SETTING_BOUNDS: Record<
  keyof EditableSettings,
  { min: number; max: number; label: string; unit: string }
> = {
  slowDurationMs: { min: 1, max: 600_000, label: "Slow call duration", unit: "ms" },
  slowDbCalls: { min: 1, max: 4096, label: "Slow call database calls", unit: "calls" },
  slowDocsScanned: { min: 1, max: 32_000, label: "Slow call documents scanned", unit: "documents" },
  rawRetentionHours: { min: 1, max: 168, label: "Raw event retention", unit: "hours" },
  replayWindowMinutes: { min: 1, max: 60, label: "Replay window", unit: "minutes" },
};

export function settingsProblems(settings: EditableSettings): string[] {
  return (Object.keys(SETTING_BOUNDS) as Array<keyof EditableSettings>).flatMap((key) => {
    const { min, max, label, unit } = SETTING_BOUNDS[key];
    const value = settings[key];
    return Number.isInteger(value) && value >= min && value <= max
      ? []
      : [`${label} must be a whole number from ${min} to ${max} ${unit}.`];
  });
}

export function toMetricSettings(settings: EditableSettings): MetricSettings {
  return {
    ...DEFAULT_METRIC_SETTINGS,
    slow: {
      durationMs: settings.slowDurationMs,
      dbCalls: settings.slowDbCalls,
      docsScanned: settings.slowDocsScanned,
    },
    rawRetentionMs: settings.rawRetentionHours * 3_600_000,
    replayWindowMs: settings.replayWindowMinutes * 60_000,
  };
}
