/** What the browser shares with the functions domain: the page's ranges and the deploy window. */
export { MIN_CALLS, type FunctionComparison, type Regression } from "./model/compare";
export { FUNCTION_RANGES, type FunctionRange } from "./model/ranges";

/** The seeds' post-deploy check: "monitor logs for 10 min post-deploy". */
export const DEFAULT_DEPLOY_WINDOW_MINUTES = 10;
