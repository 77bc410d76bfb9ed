import { authTables } from "@convex-dev/auth/server";
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { auditActionValidator } from "./audit/shared";
import { roleValidator } from "./lib/roles";
import { backupTables } from "./backups/tables";
import { deploymentTables } from "./deployment/tables";
import { importTables } from "./imports/tables";
import { metricsTables } from "./metrics/tables";
import { runbookTables } from "./runbooks/tables";
import { settingsTables } from "./settings/tables";
import { taskTables } from "./tasks/tables";
import { usageTables } from "./usage/tables";

export default defineSchema({
  ...authTables,
  ...metricsTables,
  ...taskTables,
  ...settingsTables,
  ...runbookTables,
  ...deploymentTables,
  ...backupTables,
  ...usageTables,
  ...importTables,
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
});
