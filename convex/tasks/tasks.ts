import { v } from "convex/values";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { instrumentedMutation, instrumentedQuery, type SignedInUser } from "../lib/functions";
import { priorityValidator } from "./tables";

export const MAX_TASKS_LISTED = 200;
const MAX_TEXT_LENGTH = 500;

/** The caller's tasks, newest first, optionally only open or only done ones. */
export const list = instrumentedQuery(
  "viewer",
  "tasks.list",
)({
  args: { completed: v.optional(v.boolean()), limit: v.optional(v.number()) },
  handler: async (ctx, { completed, limit }) => {
    const take = Math.max(1, Math.min(limit ?? 50, MAX_TASKS_LISTED));
    const tasks = ctx.db.query("tasks");
    const indexed =
      completed === undefined
        ? tasks.withIndex("by_user", (q) => q.eq("userId", ctx.user._id))
        : tasks.withIndex("by_user_completed", (q) =>
            q.eq("userId", ctx.user._id).eq("completed", completed),
          );
    return await indexed.order("desc").take(take);
  },
});

export const create = instrumentedMutation(
  "operator",
  "tasks.create",
)({
  args: { text: v.string(), priority: priorityValidator },
  handler: async (ctx, { text, priority }) => {
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.length > MAX_TEXT_LENGTH) {
      throw appError("VALIDATION_ERROR", `A task needs 1 to ${MAX_TEXT_LENGTH} characters of text.`);
    }
    const taskId = await ctx.db.insert("tasks", {
      text: trimmed,
      completed: false,
      userId: ctx.user._id,
      priority,
      createdAt: Date.now(),
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "task.created",
      target: taskId,
      details: { priority, correlationId: ctx.correlationId },
    });
    return taskId;
  },
});

/** Someone else's task reads as missing: its existence is not the caller's business. */
async function ownTask(ctx: MutationCtx, user: SignedInUser, taskId: Id<"tasks">) {
  const task = await ctx.db.get("tasks", taskId);
  if (task === null || task.userId !== user._id) {
    throw appError("NOT_FOUND", "That task does not exist.");
  }
  return task;
}

export const setCompleted = instrumentedMutation(
  "operator",
  "tasks.setCompleted",
)({
  args: { taskId: v.id("tasks"), completed: v.boolean() },
  handler: async (ctx, { taskId, completed }) => {
    const task = await ownTask(ctx, ctx.user, taskId);
    if (task.completed === completed) return;
    await ctx.db.patch("tasks", taskId, { completed });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: completed ? "task.completed" : "task.reopened",
      target: taskId,
      details: { correlationId: ctx.correlationId },
    });
  },
});

export const remove = instrumentedMutation(
  "operator",
  "tasks.remove",
)({
  args: { taskId: v.id("tasks") },
  handler: async (ctx, { taskId }) => {
    const task = await ownTask(ctx, ctx.user, taskId);
    await ctx.db.delete("tasks", taskId);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "task.removed",
      target: taskId,
      details: { text: task.text.slice(0, 80), correlationId: ctx.correlationId },
    });
  },
});
