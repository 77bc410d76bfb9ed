/**
 * What the browser shares with the metrics backend: the error codes failures are classified into,
 * and the one health rule (signals against thresholds, stale log stream) every page decides with.
 */
export { ERROR_CODES, type KnownErrorCode } from "./model/errorClassification";
export {
  healthStates,
  STALE_STREAM_MS,
  streamState,
  type HealthThresholds,
  type HourHealth,
  type SignalState,
} from "./model/health";
/** Latency histograms: every rollup's buckets, so other domains compare without re-deriving them. */
export { addToHistogram, bucketIndex, histogramCount, percentile, type Histogram } from "./model/histogram";
export { HOUR_MS, MINUTE_MS } from "./model/timeBuckets";
