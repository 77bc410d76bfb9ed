/** The Alerts page's pure view logic: state names, ordering, links, and the silence form's rules. */
import type { AlertState } from "@convex/alerts/shared";
import { RANGE_KEYS, RANGE_MS, type RangeKey } from "@/lib/timeRange";

export const STATE_LABELS: Record<AlertState, string> = {
  normal: "Normal",
  pending: "Pending",
  firing: "Firing",
  recovering: "Recovering",
  nodata: "No data",
  error: "Error",
};

/** Firing first (critical before warning), then No data and Error, Recovering, and Pending last. */
const STATE_ORDER: Record<AlertState, number> = {
  firing: 0,
  nodata: 1,
  error: 2,
  recovering: 3,
  pending: 4,
  normal: 5,
};

type Sortable = { state: AlertState; severity: "warning" | "critical"; since: number };

export function sortOpenAlerts<A extends Sortable>(alerts: readonly A[]): A[] {
  return [...alerts].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1) ||
      a.since - b.since,
  );
}

/**
 * Where an alert's chart and request timelines live: the Errors page for failing calls, Slow
 * queries (its calls view) for slow ones.
 */
export function evidencePage(kind: "failures" | "slow"): { to: "/errors" | "/slow-queries"; view?: "calls" } {
  return kind === "failures" ? { to: "/errors" } : { to: "/slow-queries", view: "calls" };
}

/** The smallest chart range that still shows the whole window since the alert began, plus five minutes of lead-in. */
export function chartRangeFor(since: number, now: number): RangeKey {
  const needed = now - since + 5 * 60_000;
  return RANGE_KEYS.find((key) => RANGE_MS[key] >= needed) ?? "7d";
}

/** Minutes typed in a form, as milliseconds; null when not a whole number of zero or more. */
export function minutesToMs(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  return Number(trimmed) * 60_000;
}

/** A silence's matchers in words: "rule error-rate, deployment prod". */
export function matchersInWords(
  matchers: Partial<Record<"rule" | "deployment" | "function" | "severity", string>>,
): string {
  const parts = (["rule", "deployment", "function", "severity"] as const)
    .filter((key) => matchers[key] !== undefined)
    .map((key) => `${key} ${matchers[key]}`);
  return parts.length === 0 ? "everything" : parts.join(", ");
}

/**
 * The Logs query behind an alert made from a search, narrowed to the deployment it fired on: the
 * search in parentheses, so its own OR still binds inside, and the name quoted as the parser reads it.
 */
export function logsQueryOn(query: string, deployment: string): string {
  return `(${query}) deployment:"${deployment.replace(/["\\]/g, "\\$&")}"`;
}
