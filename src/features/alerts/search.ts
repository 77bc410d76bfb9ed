/**
 * URL search params of the Alerts page: the alert a notification's link points at
 * (`rule/instance`), which the page highlights. Malformed values are ignored, so a stale link still opens.
 */
export type AlertsSearch = { alert?: string };

export function parseAlertsSearch(search: Record<string, unknown>): AlertsSearch {
  return { alert: typeof search.alert === "string" && search.alert.length <= 300 ? search.alert : undefined };
}
