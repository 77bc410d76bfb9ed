/**
 * What other domains may read of deploys: the regressions of the newest finished verdict, for the
 * "deploy regression" alert rule (Alerts, issue #21) to fire on. Bounded: a few newest verdicts of
 * one deployment.
 */
import type { QueryCtx } from "../_generated/server";

/** Verdicts read to find the newest finished one: a deploy younger than its window is still computing. */
const VERDICTS_READ = 5;

/**
 * Per function, what regressed in the newest finished verdict of a deploy at or after `since`;
 * empty when that verdict is clean (so a fixing deploy clears the regressions of the one before)
 * or when no deploy since then has a verdict yet.
 */
export async function latestDeployRegressions(
  ctx: QueryCtx,
  deployment: string,
  since: number,
): Promise<Map<string, string[]>> {
  const verdicts = await ctx.db
    .query("deployVerdicts")
    .withIndex("by_deploy", (q) => q.eq("deployment", deployment).gte("deployTs", since))
    .order("desc")
    .take(VERDICTS_READ);
  const newest = verdicts.find((verdict) => verdict.state === "done");
  return new Map(
    (newest?.regressions ?? []).map((regression) => [regression.functionPath, regression.kinds]),
  );
}
