/**
 * What other domains may read of deploys: the regressions of recent verdicts, for an alert rule
 * (Alerts, issue #21) to fire on. Bounded: the newest verdicts of one deployment.
 */
import type { QueryCtx } from "../_generated/server";

export async function recentDeployRegressions(ctx: QueryCtx, deployment: string, since: number, limit = 20) {
  const verdicts = await ctx.db
    .query("deployVerdicts")
    .withIndex("by_deploy", (q) => q.eq("deployment", deployment).gte("deployTs", since))
    .order("desc")
    .take(limit);
  return verdicts
    .filter((verdict) => verdict.state === "done" && verdict.regressions.length > 0)
    .map((verdict) => ({ deployTs: verdict.deployTs, regressions: verdict.regressions }));
}
