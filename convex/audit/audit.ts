import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { auditActionValidator } from "./shared";
import { normalizeEmail } from "../users/read";
import { viewerQuery } from "../lib/functions";
import { taskText } from "../tasks/read";

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
    const result = await indexed.order("desc").paginate(paginationOpts);
    return { ...result, page: await withTargetNames(ctx, result.page) };
  },
});

/**
 * Rows whose target is a task id get the task's name: its text now, or, for a task since removed,
 * the text its removal recorded on the same page. Other targets are names already.
 */
async function withTargetNames(ctx: QueryCtx, rows: Doc<"audit">[]) {
  const removedText = new Map<string, string>();
  for (const row of rows) {
    if (row.action === "task.removed" && typeof row.details?.text === "string") {
      removedText.set(row.target, row.details.text);
    }
  }
  const named = [];
  for (const row of rows) {
    const targetName = row.action.startsWith("task.")
      ? ((await taskText(ctx, row.target)) ?? removedText.get(row.target) ?? "a removed task")
      : row.target;
    named.push({ ...row, targetName });
  }
  return named;
}
