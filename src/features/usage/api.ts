/** Every backend call the Usage page makes, one hook each. */
import { useMutation } from "convex/react";
import { api } from "@convex/_generated/api";
import { useStableQuery } from "@/lib/useStableQuery";

export const useUsageSummary = (now: number) => useStableQuery(api.usage.usage.summary, { now });
export const useTopFunctions = (now: number) => useStableQuery(api.usage.usage.topFunctions, { now });
export const useConvexFigures = (now: number) => useStableQuery(api.usage.usage.convexFigures, { now });
export const useSetPlan = () => useMutation(api.usage.usage.setPlan);
export const useRefreshConvexFigures = () => useMutation(api.usage.usage.refreshConvexFigures);
/** The plan-usage alert rules' verdict: the same judgement that colours the Overview's usage tile. */
export const useUsageRule = () => useStableQuery(api.alerts.alerts.consoleTiles, {});
