/**
 * URL search params of the Logs page: the query (typed, or a team's saved search by its id), the
 * mode, and the request whose timeline is open.
 * Not `code`: the sign-in library reads a `code` param from the URL as a verification code, so the
 * query lives in `q`. Malformed values are ignored, so a stale link still opens the page.
 */
export const LOG_MODES = ["search", "tail"] as const;
export type LogMode = (typeof LOG_MODES)[number];

export type LogsSearch = {
  q?: string;
  /** A saved search's id: opens its query when `q` is absent, and follows later edits of it. */
  saved?: string;
  mode?: LogMode;
  /** Request id whose timeline is open, and its deployment. */
  request?: string;
  deployment?: string;
};

function text(value: unknown, max: number): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" || trimmed.length > max ? undefined : trimmed;
}

export function parseLogsSearch(search: Record<string, unknown>): LogsSearch {
  return {
    q: text(search.q, 1000),
    saved: text(search.saved, 64),
    mode: LOG_MODES.find((mode) => mode === search.mode),
    request: text(search.request, 100),
    deployment: text(search.deployment, 100),
  };
}
