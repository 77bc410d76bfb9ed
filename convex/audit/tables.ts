import { defineTable } from "convex/server";
import { v } from "convex/values";
import { auditActionValidator } from "./shared";

/** One row per admin or operator action, kept for the Audit page and its filters. */
export const auditTables = {
  audit: defineTable({
    actorId: v.optional(v.id("users")),
    actorEmail: v.string(),
    action: auditActionValidator,
    target: v.string(),
    details: v.optional(v.record(v.string(), v.union(v.string(), v.number(), v.boolean(), v.null()))),
    at: v.number(),
  })
    .index("by_at", ["at"])
    .index("by_actor", ["actorEmail", "at"])
    .index("by_action", ["action", "at"])
    .index("by_actor_action", ["actorEmail", "action", "at"]),
};
