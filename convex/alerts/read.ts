/** What other domains read of the alerts: the rules' thresholds, so no second copy of them exists. */
import type { QueryCtx } from "../_generated/server";
import type { HealthThresholds } from "../metrics/shared";
import { BUILT_IN_RULES } from "./model/rules";

/** The thresholds of the rules the last hour's evidence is worded against: stored, else as seeded. */
export async function loadHealthThresholds(ctx: QueryCtx): Promise<HealthThresholds> {
  const threshold = async (key: string) => {
    const stored = await ctx.db
      .query("alertRules")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    return (stored ?? BUILT_IN_RULES.find((rule) => rule.key === key)!).threshold;
  };
  return {
    errorRate: await threshold("error-rate"),
    p95Ms: await threshold("p95-latency"),
    occShare: await threshold("occ-share"),
  };
}
