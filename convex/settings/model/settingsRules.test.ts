import { expect, test } from "vitest";
import { DEFAULT_METRIC_SETTINGS } from "./metricSettings";
import { DEFAULT_EDITABLE_SETTINGS, settingsProblems, toMetricSettings } from "./settingsRules";

test("the defaults are valid and map back to the ingest's defaults", () => {
  expect(settingsProblems(DEFAULT_EDITABLE_SETTINGS)).toEqual([]);
  expect(toMetricSettings(DEFAULT_EDITABLE_SETTINGS)).toEqual(DEFAULT_METRIC_SETTINGS);
});

test("out-of-range and fractional values are refused, each with its own message", () => {
  expect(
    settingsProblems({
      ...DEFAULT_EDITABLE_SETTINGS,
      slowDurationMs: 0,
      rawRetentionHours: 200,
      replayWindowMinutes: 2.5,
    }),
  ).toEqual([
    "Slow call duration must be a whole number from 1 to 600000 ms.",
    "Raw event retention must be a whole number from 1 to 168 hours.",
    "Replay window must be a whole number from 1 to 60 minutes.",
  ]);
});

test("changed values reach the ingest's settings in its units", () => {
  const metric = toMetricSettings({
    ...DEFAULT_EDITABLE_SETTINGS,
    slowDurationMs: 250,
    rawRetentionHours: 48,
    replayWindowMinutes: 10,
  });
  expect(metric.slow.durationMs).toBe(250);
  expect(metric.rawRetentionMs).toBe(48 * 3_600_000);
  expect(metric.replayWindowMs).toBe(600_000);
});
