import { defineTable } from "convex/server";
import { v } from "convex/values";

export const priorityValidator = v.union(v.literal("low"), v.literal("medium"), v.literal("high"));

/** The app's own data (the seeds' schema): real traffic for the instrumented functions. */
export const taskTables = {
  tasks: defineTable({
    text: v.string(),
    completed: v.boolean(),
    userId: v.id("users"),
    priority: priorityValidator,
    createdAt: v.number(),
  })
    // The seeds' indexes; by_user lists a user's tasks newest first across both states.
    // eslint-disable-next-line @convex-dev/no-duplicate-indexes
    .index("by_user", ["userId"])
    .index("by_completed", ["completed"])
    .index("by_user_completed", ["userId", "completed"]),
};
