/**
 * How usage amounts, states and forecast dates read, for every page that shows them (Usage,
 * Overview, Runbooks): amounts in the plan's units, dates in the team's time zone.
 */
import {
  METRIC_LABELS,
  METRIC_UNITS,
  isStorageMetric,
  type Crossing,
  type UsageMetric,
  type UsageState,
} from "@convex/usage/shared";
import { formatPercent } from "./format";

const countFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A plan amount in its unit: "1,234 calls", "0.44 GB", "0.000278 GB-hours". */
export function formatUsageAmount(metric: UsageMetric, value: number | null): string {
  if (value === null) return "—";
  const unit = METRIC_UNITS[metric];
  if (metric === "functionCalls") return `${countFormat.format(value)} ${unit}`;
  if (value === 0) return `0 ${unit}`;
  // Small amounts keep three significant digits, so a day of light traffic does not read as 0.
  const number = value < 1 ? Number(value.toPrecision(3)).toString() : twoDecimals.format(value);
  return `${number} ${unit}`;
}

export const STATE_TEXT: Record<UsageState, string> = {
  Default: "Within plan",
  Approaching: "Approaching the limit",
  Exceeded: "Limit exceeded",
};

/** The tile tone of a state ("tile-warning", "tile-flag-warning"); "none" before there is one. */
export function stateTone(state: UsageState | null): "ok" | "warning" | "alert" | "none" {
  if (state === null) return "none";
  return state === "Default" ? "ok" : state === "Approaching" ? "warning" : "alert";
}

/** A day in the team's time zone, e.g. "Nov 27". */
export function formatUsageDay(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, month: "short", day: "numeric" }).format(ms);
}

/** When a share of the limit is or will be reached: "Nov 27", "reached Nov 3", "not this month". */
export function crossingText(metric: UsageMetric, crossing: Crossing, timeZone: string): string {
  if (crossing === null) return isStorageMetric(metric) ? "not foreseen within a year" : "not this month";
  const day = formatUsageDay(crossing.at, timeZone);
  return crossing.alreadyReached ? `reached ${day}` : day;
}

/** "low confidence: 1 day of data", or null when the history is long enough. */
export function confidenceText(forecast: { lowConfidence: boolean; daysOfData: number }): string | null {
  if (!forecast.lowConfidence) return null;
  return `low confidence: ${forecast.daysOfData} ${forecast.daysOfData === 1 ? "day" : "days"} of data`;
}

/**
 * Where the month stands, in one sentence for the Usage page, the Overview tile and the runbook
 * evidence alike, so they never disagree: an exceeded metric leads, then the next 80 % or 100 %
 * crossing ahead. The share is written as it is (147.4%), never capped at 100 %.
 */
export function usageStandingText(
  standing: {
    worst: { metric: UsageMetric; state: UsageState; share: number } | null;
    nextCrossing: { metric: UsageMetric; threshold: number; at: number } | null;
  },
  timeZone: string,
): string {
  const { worst, nextCrossing } = standing;
  const ahead =
    nextCrossing === null
      ? null
      : `${METRIC_LABELS[nextCrossing.metric]} reaches ${Math.round(nextCrossing.threshold * 100)} % on ${formatUsageDay(nextCrossing.at, timeZone)}`;
  if (worst !== null && worst.state !== "Default") {
    const where =
      worst.state === "Exceeded"
        ? `${METRIC_LABELS[worst.metric]} is past its limit at ${formatPercent(worst.share)} of the included amount`
        : `${METRIC_LABELS[worst.metric]} is at ${formatPercent(worst.share)} of the included amount`;
    return ahead === null ? where : `${where}; ${ahead}`;
  }
  return ahead ?? "No 80 % or 100 % crossing ahead this month at the current rate";
}
