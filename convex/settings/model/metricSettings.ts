import { DEFAULT_SLOW_QUERY_THRESHOLDS, type SlowQueryThresholds } from "../../lib/slowQuery";

export type MetricSettings = {
  slow: SlowQueryThresholds;
  /** Events whose own timestamp is older than this are treated as replays and rejected. */
  replayWindowMs: number;
  /** Raw executions, console lines and slow calls older than this are swept; rollups stay. */
  rawRetentionMs: number;
  /** After a secret rotation, batches signed with the previous secret verify for this long. */
  rotationGraceMs: number;
};

export const DEFAULT_METRIC_SETTINGS: MetricSettings = {
  slow: DEFAULT_SLOW_QUERY_THRESHOLDS,
  replayWindowMs: 5 * 60_000,
  rawRetentionMs: 24 * 60 * 60_000,
  rotationGraceMs: 24 * 60 * 60_000,
};
