/** The time ranges pages offer (URL value, length, label); Overview and the metrics pages share them. */

export const RANGE_KEYS = ["15m", "1h", "6h", "24h", "7d"] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];
export const DEFAULT_RANGE: RangeKey = "1h";

export const RANGE_MS: Record<RangeKey, number> = {
  "15m": 15 * 60_000,
  "1h": 60 * 60_000,
  "6h": 6 * 60 * 60_000,
  "24h": 24 * 60 * 60_000,
  "7d": 7 * 24 * 60 * 60_000,
};

export const RANGE_LABELS: Record<RangeKey, string> = {
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
};
