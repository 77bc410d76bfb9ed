/**
 * Where each metric will be at the end of the month, and when it crosses 80 % and 100 % of its
 * included amount. Flows (calls, compute, I/O, egress, search) reset each month and are projected
 * at their month-to-date run rate. Storage is a level that carries over, so it is projected along
 * the least-squares slope of its daily reports over the last 14 days. Short history makes either
 * guess shaky; the forecast says so with the number of days it stands on.
 */
import { APPROACHING_SHARE } from "./states";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Fewer days of flow history than this and the run rate is flagged as low confidence. */
export const MIN_FLOW_DAYS = 3;
/** Fewer days of storage reports than this and the slope is flagged as low confidence. */
export const MIN_STORAGE_DAYS = 7;
/** The slope looks back this far from the newest storage report. */
export const STORAGE_SLOPE_WINDOW_DAYS = 14;
/** A storage crossing further out than this is shown as not foreseeable. */
const STORAGE_HORIZON_MS = 366 * DAY_MS;

/** When a share of the included amount is (or was) reached; null when not foreseen. */
export type Crossing = { at: number; alreadyReached: boolean } | null;

export type Forecast = {
  method: "run-rate" | "slope";
  /** The projected amount at the end of the month, in the metric's unit. */
  projectedMonthEnd: number;
  at80: Crossing;
  at100: Crossing;
  daysOfData: number;
  lowConfidence: boolean;
};

/** A day's amount: for flows what was used that day, for storage the level of its latest report. */
export type DayPoint = { at: number; value: number };

type FlowInputs = {
  now: number;
  monthStart: number;
  monthEnd: number;
  /** The first instant this month with usage recorded (the console may have started mid-month). */
  firstDataAt: number | null;
  /** This month's days so far, oldest first: `at` is the day's start. */
  days: DayPoint[];
  included: number;
};

function flowCrossing(
  inputs: FlowInputs,
  threshold: number,
  monthToDate: number,
  ratePerMs: number,
): Crossing {
  if (monthToDate >= threshold) {
    let cumulative = 0;
    for (const day of inputs.days) {
      cumulative += day.value;
      if (cumulative >= threshold) return { at: day.at, alreadyReached: true };
    }
    return { at: inputs.now, alreadyReached: true };
  }
  if (ratePerMs <= 0) return null;
  const at = inputs.now + (threshold - monthToDate) / ratePerMs;
  return at < inputs.monthEnd ? { at, alreadyReached: false } : null;
}

export function forecastFlow(inputs: FlowInputs): Forecast {
  const monthToDate = inputs.days.reduce((sum, day) => sum + day.value, 0);
  const since = Math.max(inputs.monthStart, inputs.firstDataAt ?? inputs.now);
  const elapsedMs = Math.max(0, inputs.now - since);
  const ratePerMs = elapsedMs > 0 ? monthToDate / elapsedMs : 0;
  const daysOfData = inputs.firstDataAt === null ? 0 : Math.max(1, Math.ceil(elapsedMs / DAY_MS));
  return {
    method: "run-rate",
    projectedMonthEnd: monthToDate + ratePerMs * Math.max(0, inputs.monthEnd - inputs.now),
    at80: flowCrossing(inputs, inputs.included * APPROACHING_SHARE, monthToDate, ratePerMs),
    at100: flowCrossing(inputs, inputs.included, monthToDate, ratePerMs),
    daysOfData,
    lowConfidence: daysOfData < MIN_FLOW_DAYS,
  };
}

/** Least-squares slope (units per ms) of the points; 0 with fewer than two distinct instants. */
export function leastSquaresSlope(points: DayPoint[]): number {
  if (points.length < 2) return 0;
  const meanAt = points.reduce((sum, point) => sum + point.at, 0) / points.length;
  const meanValue = points.reduce((sum, point) => sum + point.value, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.at - meanAt) * (point.value - meanValue);
    variance += (point.at - meanAt) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

type StorageInputs = {
  monthEnd: number;
  /** Daily levels (each day's latest report), oldest first. */
  points: DayPoint[];
  included: number;
};

function storageCrossing(points: DayPoint[], threshold: number, slopePerMs: number): Crossing {
  const reached = points.find((point) => point.value >= threshold);
  const latest = points[points.length - 1]!;
  if (latest.value >= threshold) return { at: (reached ?? latest).at, alreadyReached: true };
  if (slopePerMs <= 0) return null;
  const at = latest.at + (threshold - latest.value) / slopePerMs;
  return at - latest.at <= STORAGE_HORIZON_MS ? { at, alreadyReached: false } : null;
}

/** Null when no storage report ever arrived: there is nothing to project from. */
export function forecastStorage(inputs: StorageInputs): Forecast | null {
  const latest = inputs.points[inputs.points.length - 1];
  if (latest === undefined) return null;
  const window = inputs.points.filter((point) => point.at > latest.at - STORAGE_SLOPE_WINDOW_DAYS * DAY_MS);
  const slopePerMs = leastSquaresSlope(window);
  const daysOfData = Math.round((latest.at - window[0]!.at) / DAY_MS) + 1;
  return {
    method: "slope",
    projectedMonthEnd: Math.max(0, latest.value + slopePerMs * Math.max(0, inputs.monthEnd - latest.at)),
    at80: storageCrossing(window, inputs.included * APPROACHING_SHARE, slopePerMs),
    at100: storageCrossing(window, inputs.included, slopePerMs),
    daysOfData,
    lowConfidence: daysOfData < MIN_STORAGE_DAYS,
  };
}
