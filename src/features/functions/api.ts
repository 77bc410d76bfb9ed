/** Every backend call the function and deploy pages make, one hook each. */
import { useQuery } from "convex/react";
import { api } from "@convex/_generated/api";
import type { FunctionRange } from "@convex/functions/shared";

export const useDeployments = () => useQuery(api.metrics.metrics.deployments);
export const useFunctionPage = (
  deployment: string,
  functionPath: string,
  range: FunctionRange,
  now: number,
) => useQuery(api.functions.functions.functionPage, { deployment, functionPath, range, now });
export const useDeploys = (deployment: string | null, now: number) =>
  useQuery(api.functions.functions.deploys, deployment === null ? "skip" : { deployment, now });
export const useDeployDetail = (deployment: string, deployTs: number | null) =>
  useQuery(api.functions.functions.deploy, deployTs === null ? "skip" : { deployment, deployTs });
