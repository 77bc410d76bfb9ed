/** What the alert rules compare the last hour against; stored with the console settings. */
export type AlertThresholds = {
  /** Share of calls that failed, as a ratio (0.01 is 1 %). */
  errorRate: number;
  /** 95th-percentile duration of all calls, ms. */
  p95Ms: number;
  /** Share of mutations that failed with a write conflict, as a ratio. */
  occShare: number;
};

/** The seeds' alert defaults: error rate above 1 %, p95 above 500 ms, OCC above 5 % of mutations. */
export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = { errorRate: 0.01, p95Ms: 500, occShare: 0.05 };
