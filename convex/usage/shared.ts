/**
 * What the browser shares with the usage backend: the metrics, their labels and units, the plan
 * catalog, and the one rule that turns an amount against its limit into a state.
 */
export {
  DEFAULT_PLAN,
  METRIC_LABELS,
  METRIC_UNITS,
  PLAN_CATALOG,
  PLAN_CATALOG_DATE,
  PLAN_IDS,
  USAGE_METRICS,
  isStorageMetric,
  planName,
  type PlanId,
  type PlanLimits,
  type UsageMetric,
} from "./model/plans";
export { APPROACHING_SHARE, USAGE_STATES, usageState, type UsageState } from "./model/states";
export { MIN_FLOW_DAYS, MIN_STORAGE_DAYS, type Crossing, type Forecast } from "./model/forecast";
export { LOG_STREAM_FUNCTION, STORAGE_API_FUNCTION } from "./model/metering";
