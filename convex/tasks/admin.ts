/**
 * The Tasks page: every user's tasks, paged on the index that matches the filters, and the
 * operator's admin actions on one task or many. Each change is audited per task.
 */
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { operatorMutation, viewerQuery } from "../lib/functions";
import { bulkDeletePhrase, MAX_BULK_TASKS, TASK_COUNT_CAP } from "./shared";
import { priorityValidator } from "./tables";

const filtersValidator = {
  state: v.optional(v.union(v.literal("open"), v.literal("done"))),
  priority: v.optional(priorityValidator),
  owner: v.optional(v.string()),
  text: v.optional(v.string()),
};

type Filters = {
  state?: "open" | "done";
  priority?: Doc<"tasks">["priority"];
  owner?: string;
  text?: string;
};

/** The owner's id by email; `null` when a filter names no one (the result is then empty). */
async function ownerId(ctx: QueryCtx, owner: string | undefined): Promise<Id<"users"> | null | undefined> {
  if (owner === undefined || owner.trim() === "") return undefined;
  const user = await ctx.db
    .query("users")
    .withIndex("email", (q) => q.eq("email", owner.trim().toLowerCase()))
    .first();
  return user?._id ?? null;
}

/** The query for the filters (text aside), on the index whose prefix is exactly those filters. */
function indexedTasks(ctx: QueryCtx, userId: Id<"users"> | undefined, filters: Filters) {
  const tasks = ctx.db.query("tasks");
  const completed = filters.state === undefined ? undefined : filters.state === "done";
  const { priority } = filters;
  if (userId !== undefined) {
    if (completed !== undefined && priority !== undefined)
      return tasks.withIndex("by_user_completed_priority", (q) =>
        q.eq("userId", userId).eq("completed", completed).eq("priority", priority),
      );
    if (completed !== undefined)
      return tasks.withIndex("by_user_completed", (q) => q.eq("userId", userId).eq("completed", completed));
    if (priority !== undefined)
      return tasks.withIndex("by_user_priority", (q) => q.eq("userId", userId).eq("priority", priority));
    return tasks.withIndex("by_user", (q) => q.eq("userId", userId));
  }
  if (completed !== undefined && priority !== undefined)
    return tasks.withIndex("by_completed_priority", (q) =>
      q.eq("completed", completed).eq("priority", priority),
    );
  if (completed !== undefined) return tasks.withIndex("by_completed", (q) => q.eq("completed", completed));
  if (priority !== undefined) return tasks.withIndex("by_priority", (q) => q.eq("priority", priority));
  return tasks;
}

async function withOwners(ctx: QueryCtx, tasks: Doc<"tasks">[]) {
  const emails = new Map<Id<"users">, string | null>();
  for (const task of tasks) {
    if (!emails.has(task.userId))
      emails.set(task.userId, (await ctx.db.get("users", task.userId))?.email ?? null);
  }
  return tasks.map((task) => ({ ...task, owner: emails.get(task.userId) ?? null }));
}

/** One page of every user's tasks: newest (default) or oldest first; text search ranks by relevance. */
export const list = viewerQuery({
  args: {
    paginationOpts: paginationOptsValidator,
    ...filtersValidator,
    order: v.optional(v.union(v.literal("newest"), v.literal("oldest"))),
  },
  handler: async (ctx, { paginationOpts, order, ...filters }) => {
    const numItems = Math.max(1, Math.min(paginationOpts.numItems, 100));
    const userId = await ownerId(ctx, filters.owner);
    if (userId === null) return { page: [], isDone: true, continueCursor: "" };
    const text = filters.text?.trim().slice(0, 200);
    const result =
      text !== undefined && text !== ""
        ? await ctx.db
            .query("tasks")
            .withSearchIndex("search_text", (q) => {
              let search = q.search("text", text);
              if (userId !== undefined) search = search.eq("userId", userId);
              if (filters.state !== undefined) search = search.eq("completed", filters.state === "done");
              if (filters.priority !== undefined) search = search.eq("priority", filters.priority);
              return search;
            })
            .paginate({ ...paginationOpts, numItems })
        : await indexedTasks(ctx, userId, filters)
            .order(order === "oldest" ? "asc" : "desc")
            .paginate({ ...paginationOpts, numItems });
    return { ...result, page: await withOwners(ctx, result.page) };
  },
});

async function countUpTo(query: { take: (n: number) => Promise<unknown[]> }): Promise<number> {
  return (await query.take(TASK_COUNT_CAP + 1)).length;
}

/**
 * Open and done tasks under the owner and priority filters, each counted up to a cap (shown as
 * "1,000+"), so the read stays bounded however many tasks there are.
 */
export const counts = viewerQuery({
  args: { priority: v.optional(priorityValidator), owner: v.optional(v.string()) },
  handler: async (ctx, filters) => {
    const userId = await ownerId(ctx, filters.owner);
    if (userId === null) return { open: 0, done: 0, cap: TASK_COUNT_CAP };
    return {
      open: await countUpTo(indexedTasks(ctx, userId, { ...filters, state: "open" })),
      done: await countUpTo(indexedTasks(ctx, userId, { ...filters, state: "done" })),
      cap: TASK_COUNT_CAP,
    };
  },
});

const taskIdsValidator = v.array(v.id("tasks"));

function checkBatch(taskIds: Id<"tasks">[]) {
  if (taskIds.length === 0 || taskIds.length > MAX_BULK_TASKS) {
    throw appError("VALIDATION_ERROR", `Choose 1 to ${MAX_BULK_TASKS} tasks.`);
  }
}

async function existingTasks(ctx: QueryCtx, taskIds: Id<"tasks">[]): Promise<Doc<"tasks">[]> {
  const tasks = [];
  for (const taskId of new Set(taskIds)) {
    const task = await ctx.db.get("tasks", taskId);
    if (task !== null) tasks.push(task);
  }
  if (tasks.length === 0) throw appError("NOT_FOUND", "Those tasks no longer exist.");
  return tasks;
}

/** Completes or reopens tasks of any user; tasks already in that state are left alone. */
export const setCompleted = operatorMutation({
  args: { taskIds: taskIdsValidator, completed: v.boolean() },
  handler: async (ctx, { taskIds, completed }) => {
    checkBatch(taskIds);
    let changed = 0;
    for (const task of await existingTasks(ctx, taskIds)) {
      if (task.completed === completed) continue;
      await ctx.db.patch("tasks", task._id, { completed });
      await recordAudit(ctx, {
        actor: ctx.user,
        action: completed ? "task.completed" : "task.reopened",
        target: task._id,
        details: { text: task.text.slice(0, 80), bulk: taskIds.length > 1 },
      });
      changed++;
    }
    return changed;
  },
});

export const setPriority = operatorMutation({
  args: { taskIds: taskIdsValidator, priority: priorityValidator },
  handler: async (ctx, { taskIds, priority }) => {
    checkBatch(taskIds);
    let changed = 0;
    for (const task of await existingTasks(ctx, taskIds)) {
      if (task.priority === priority) continue;
      await ctx.db.patch("tasks", task._id, { priority });
      await recordAudit(ctx, {
        actor: ctx.user,
        action: "task.priority_changed",
        target: task._id,
        details: { from: task.priority, to: priority, bulk: taskIds.length > 1 },
      });
      changed++;
    }
    return changed;
  },
});

/** Deletes tasks of any user; deleting more than one needs the count typed as confirmation. */
export const remove = operatorMutation({
  args: { taskIds: taskIdsValidator, confirmation: v.optional(v.string()) },
  handler: async (ctx, { taskIds, confirmation }) => {
    checkBatch(taskIds);
    const unique = [...new Set(taskIds)];
    if (unique.length > 1 && confirmation?.trim() !== bulkDeletePhrase(unique.length)) {
      throw appError("VALIDATION_ERROR", `Type "${bulkDeletePhrase(unique.length)}" to confirm.`);
    }
    const tasks = await existingTasks(ctx, unique);
    for (const task of tasks) {
      await ctx.db.delete("tasks", task._id);
      await recordAudit(ctx, {
        actor: ctx.user,
        action: "task.removed",
        target: task._id,
        details: { text: task.text.slice(0, 80), priority: task.priority, bulk: unique.length > 1 },
      });
    }
    return tasks.length;
  },
});
