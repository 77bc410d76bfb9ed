/**
 * The one rule for a metric's state against its included amount, with Convex's own names: at or
 * past the amount is Exceeded, from 80 % it is Approaching, below that Default.
 */
export const APPROACHING_SHARE = 0.8;

export const USAGE_STATES = ["Default", "Approaching", "Exceeded"] as const;
export type UsageState = (typeof USAGE_STATES)[number];

export function usageState(value: number, included: number): UsageState {
  if (included <= 0) return value > 0 ? "Exceeded" : "Default";
  const share = value / included;
  if (share >= 1) return "Exceeded";
  if (share >= APPROACHING_SHARE) return "Approaching";
  return "Default";
}

const SEVERITY: Record<UsageState, number> = { Default: 0, Approaching: 1, Exceeded: 2 };

export function worseState(a: UsageState, b: UsageState): UsageState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export function stateSeverity(state: UsageState): number {
  return SEVERITY[state];
}
