/** Every backend call the Usage page makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

export const useUsageSummary = (now: number) => useQuery(api.usage.usage.summary, { now });
export const useTopFunctions = (now: number) => useQuery(api.usage.usage.topFunctions, { now });
export const useConvexFigures = (now: number) => useQuery(api.usage.usage.convexFigures, { now });
export const useSetPlan = () => useMutation(api.usage.usage.setPlan);
export const useRefreshConvexFigures = () => useMutation(api.usage.usage.refreshConvexFigures);
