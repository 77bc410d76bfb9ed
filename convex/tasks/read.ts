import type { QueryCtx } from "../_generated/server";

/** A task's text by its id, for other domains that show tasks by name; null when it is gone. */
export async function taskText(ctx: QueryCtx, id: string): Promise<string | null> {
  const taskId = ctx.db.normalizeId("tasks", id);
  if (taskId === null) return null;
  return (await ctx.db.get("tasks", taskId))?.text ?? null;
}
