import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import { fillBuckets } from "@/lib/buckets";
import type { RangeKey } from "@/lib/timeRange";
import type { TileJudgement, TileVerdict } from "@convex/alerts/shared";

export type Overview = FunctionReturnType<typeof api.metrics.metrics.overview>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A tile's colour: its alert rules' state on the deployment (red firing, amber pending). */
export type TileState = TileVerdict;

/** The deployment and range the page shows, as the scope picker resolved them. */
export type OverviewScope = { deployment: string; range: RangeKey; from: number; to: number };

/** The metrics pages' search for the same scope; their default range (1 hour) stays out of the URL. */
export function metricsSearch(scope: OverviewScope) {
  return { deployment: scope.deployment, range: scope.range === "1h" ? undefined : scope.range };
}

/** What a card with an alert rule shows: the overview, its rules' judgement, and the hour's end. */
export type TileCardProps = { overview: Overview; judgement: TileJudgement; now: number };

export type TrendPoint = { bucket: number; value: number | null };

/**
 * One value per minute of the hour before `now`, oldest first. A minute without a rollup had no
 * calls: counts and rates are zero there (`whenEmpty`), and a percentile has none (null).
 */
export function hourTrend<T extends { bucket: number }>(
  series: readonly T[],
  now: number,
  pick: (point: T) => number | null,
  whenEmpty: number | null,
): TrendPoint[] {
  const points = series.map((point) => ({ bucket: point.bucket, value: pick(point) }));
  return fillBuckets(points, now - HOUR_MS, now, MINUTE_MS, (bucket) => ({ bucket, value: whenEmpty }));
}

/** The top `count` functions by p95, slowest first; functions without a p95 last. */
export function slowestFunctions<T extends { p95Ms: number | null }>(
  functions: readonly T[],
  count: number,
): T[] {
  return [...functions].sort((a, b) => (b.p95Ms ?? -1) - (a.p95Ms ?? -1)).slice(0, count);
}

/** "Daily" for "Daily maintenance": the tile names checklists by their cadence. */
export function checklistShortTitle(title: string): string {
  return title.replace(/ maintenance$/, "");
}
