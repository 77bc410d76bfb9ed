/**
 * Search params that @convex-dev/auth's React client reads from the page URL when the app loads.
 * It takes `code` as a sign-in verification code, consumes it and signs in with it, so a page
 * that keeps its own state under that name signs the operator out on reload. Route search params
 * must never use these names.
 */
export const AUTH_RESERVED_SEARCH_PARAMS: readonly string[] = ["code"];
