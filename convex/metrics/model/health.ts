/**
 * The one health rule: when a signal counts as within its alert threshold, over it, or without data,
 * and when a log stream counts as stale. The Overview tiles, the runbook evidence and the deployment
 * picker all decide through these functions, so they cannot disagree.
 */
import { MINUTE_MS } from "./timeBuckets";

/** What the last hour is compared against: the alert rules' thresholds on these signals. */
export type HealthThresholds = {
  /** Share of calls that failed, as a ratio (0.01 is 1 %). */
  errorRate: number;
  /** 95th-percentile duration of all calls, ms. */
  p95Ms: number;
  /** Share of mutations that failed with a write conflict, as a ratio. */
  occShare: number;
};

/** A log stream counts as stale when nothing arrived for longer than this. */
export const STALE_STREAM_MS = 5 * MINUTE_MS;

export type SignalState = "ok" | "alert" | "none";

/** Over the threshold is an alert; at or under it is fine; no measurement (null) is no state at all. */
export function signalState(value: number | null, threshold: number): SignalState {
  if (value === null) return "none";
  return value > threshold ? "alert" : "ok";
}

/** The last hour of one deployment, as the rollups measured it. */
export type HourHealth = {
  calls: number;
  mutations: number;
  errorRate: number;
  p95Ms: number | null;
  occShare: number;
};

type HealthStates = { errorRate: SignalState; p95: SignalState; occShare: SignalState };

/** A rate over zero calls (or zero mutations) measures nothing, so it has no state. */
export function healthStates(health: HourHealth, thresholds: HealthThresholds): HealthStates {
  return {
    errorRate: signalState(health.calls === 0 ? null : health.errorRate, thresholds.errorRate),
    p95: signalState(health.p95Ms, thresholds.p95Ms),
    occShare: signalState(health.mutations === 0 ? null : health.occShare, thresholds.occShare),
  };
}

/** "none" before the first event, "alert" once nothing arrived for longer than the stale window. */
export function streamState(lastEventAt: number | null, now: number): SignalState {
  if (lastEventAt === null) return "none";
  return now - lastEventAt > STALE_STREAM_MS ? "alert" : "ok";
}
