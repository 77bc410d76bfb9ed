/** URL search params of the function and deploy pages; malformed values are ignored. */
import { FUNCTION_RANGES, type FunctionRange } from "@convex/functions/shared";

export type FunctionSearch = { range?: FunctionRange };
export type DeploysSearch = { deployment?: string; deploy?: number };

export function parseFunctionSearch(search: Record<string, unknown>): FunctionSearch {
  const range = search.range;
  return typeof range === "string" && range in FUNCTION_RANGES ? { range: range as FunctionRange } : {};
}

export function parseDeploysSearch(search: Record<string, unknown>): DeploysSearch {
  const deployment =
    typeof search.deployment === "string" && search.deployment.length <= 200 ? search.deployment : undefined;
  const deploy = Number(search.deploy);
  return {
    ...(deployment !== undefined && { deployment }),
    ...(Number.isFinite(deploy) && deploy > 0 && { deploy }),
  };
}
