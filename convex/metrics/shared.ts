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
