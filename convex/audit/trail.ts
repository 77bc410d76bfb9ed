import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { auditActionValidator } from "./shared";
import { normalizeEmail } from "../users/model/password";
import { viewerQuery } from "../lib/functions";

/** Newest first; each filter combination walks its own index, so a page reads only its rows. */
export const list = viewerQuery({
  args: {
    paginationOpts: paginationOptsValidator,
    actor: v.optional(v.string()),
    action: v.optional(auditActionValidator),
  },
  handler: async (ctx, { paginationOpts, actor, action }) => {
    const actorEmail = actor === undefined || actor.trim() === "" ? undefined : normalizeEmail(actor);
    const rows = ctx.db.query("audit");
    const indexed =
      actorEmail !== undefined && action !== undefined
        ? rows.withIndex("by_actor_action", (q) => q.eq("actorEmail", actorEmail).eq("action", action))
        : actorEmail !== undefined
          ? rows.withIndex("by_actor", (q) => q.eq("actorEmail", actorEmail))
          : action !== undefined
            ? rows.withIndex("by_action", (q) => q.eq("action", action))
            : rows.withIndex("by_at");
    return await indexed.order("desc").paginate(paginationOpts);
  },
});
