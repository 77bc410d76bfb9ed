/**
 * URL search params of the Runbooks page: which template's history is shown and which template
 * an admin is editing (both by slug). Malformed values are ignored, so a stale link still opens.
 */
export type RunbookSearch = {
  history?: string;
  edit?: string;
};

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

function slug(value: unknown): string | undefined {
  return typeof value === "string" && SLUG.test(value) ? value : undefined;
}

export function parseRunbookSearch(search: Record<string, unknown>): RunbookSearch {
  return { history: slug(search.history), edit: slug(search.edit) };
}
