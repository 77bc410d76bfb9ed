import { defineTable } from "convex/server";
import { v } from "convex/values";
import { roleValidator } from "../lib/roles";

/**
 * @convex-dev/auth's `users` table with the console's role added, and the one-time invites that
 * let a second person in.
 */
export const userTables = {
  users: defineTable({
    name: v.optional(v.string()),
    image: v.optional(v.string()),
    email: v.optional(v.string()),
    emailVerificationTime: v.optional(v.number()),
    phone: v.optional(v.string()),
    phoneVerificationTime: v.optional(v.number()),
    isAnonymous: v.optional(v.boolean()),
    role: v.optional(roleValidator),
  })
    .index("email", ["email"])
    .index("phone", ["phone"])
    .index("by_role", ["role"]),

  invites: defineTable({
    email: v.string(),
    role: roleValidator,
    status: v.union(v.literal("pending"), v.literal("accepted"), v.literal("revoked")),
    invitedBy: v.id("users"),
    invitedByEmail: v.string(),
    expiresAt: v.number(),
    acceptedAt: v.optional(v.number()),
    /** SHA-256 of the invite link's token; the token itself is never stored. */
    tokenHash: v.optional(v.string()),
  })
    .index("by_email_status", ["email", "status"])
    .index("by_status", ["status"])
    .index("by_token_hash", ["tokenHash"]),
};
