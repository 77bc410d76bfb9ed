/** Reads Convex's own usage meter for the connected deployment, in an action: the key stays server-side. */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { deploymentClient } from "../deployment/read";
import { internalAction, internalMutation } from "../lib/functions";
import { convexFiguresFields } from "./tables";

const figuresValidator = v.object(convexFiguresFields);

export const fetch = internalAction({
  args: {},
  handler: async (ctx): Promise<void> => {
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null) return;
    const client = deploymentClient(connection, { retries: 1 });
    let figures;
    try {
      const usage = await client.getCurrentUsage();
      figures = {
        state: "ok" as const,
        problem: null,
        seedStatus: usage.seedStatus,
        metrics: Object.entries(usage.metrics).map(([metric, figure]) => ({ metric, ...figure })),
      };
    } catch (error) {
      const data = (error as { data?: { message?: string } }).data;
      figures = {
        state: "failed" as const,
        problem: data?.message ?? `Could not read ${connection.name}'s usage.`,
        seedStatus: null,
        metrics: [],
      };
    }
    await ctx.runMutation(internal.usage.convexFigures.record, {
      figures: { ...figures, deployment: connection.name, fetchedAt: Date.now() },
    });
  },
});

export const record = internalMutation({
  args: { figures: figuresValidator },
  handler: async (ctx, { figures }) => {
    const stored = await ctx.db.query("usageConvexFigures").first();
    if (stored === null) await ctx.db.insert("usageConvexFigures", figures);
    else await ctx.db.replace("usageConvexFigures", stored._id, figures);
  },
});
