import { v } from "convex/values";
import { viewerQuery } from "../lib/functions";

/** The deployment's audit_log action for a deploy of its functions, schema and config. */
export const DEPLOY_ACTION = "push_config";

/** Charts mark at most this many deploys in one range; busier ranges show the newest. */
export const MAX_DEPLOY_MARKERS = 100;

/** Deploys of one watched deployment inside [from, to], oldest first: markers on the charts. */
export const markers = viewerQuery({
  args: { deployment: v.string(), from: v.number(), to: v.number() },
  handler: async (ctx, { deployment, from, to }) => {
    const deploys = await ctx.db
      .query("deploymentAuditLog")
      .withIndex("by_deployment_action_ts", (q) =>
        q.eq("deployment", deployment).eq("action", DEPLOY_ACTION).gte("ts", from).lte("ts", to),
      )
      .order("desc")
      .take(MAX_DEPLOY_MARKERS);
    return deploys.reverse().map((deploy) => ({ ts: deploy.ts }));
  },
});
