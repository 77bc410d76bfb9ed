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
    // eslint-disable-next-line @convex-dev/no-duplicate-indexes
    .index("by_completed", ["completed"])
    // eslint-disable-next-line @convex-dev/no-duplicate-indexes
    .index("by_user_completed", ["userId", "completed"])
    // The Tasks page pages through every combination of its filters on an index of its own, in
    // creation order (every index ends with _creationTime), so a page reads only the rows it shows.

    .index("by_priority", ["priority"])
    .index("by_completed_priority", ["completed", "priority"])

    .index("by_user_priority", ["userId", "priority"])
    .index("by_user_completed_priority", ["userId", "completed", "priority"])
    .searchIndex("search_text", { searchField: "text", filterFields: ["userId", "completed", "priority"] }),
};
