import { defineTable } from "convex/server";
import { v } from "convex/values";

/** The result of the last "Test connection", as the sentence the page shows. */
export const connectionTestValidator = v.object({
  state: v.union(v.literal("running"), v.literal("ok"), v.literal("failed")),
  sentence: v.string(),
  at: v.number(),
  by: v.string(),
});

/**
 * The connected deployment. The deploy key lives in a table of its own that no query returns, so a
 * query over the connection can never hand it out by mistake, and is stored encrypted with
 * CONSOLE_SECRETS_KEY, bound to the URL it was entered with (convex/lib/secrets.ts).
 */
export const deploymentTables = {
  deploymentConnection: defineTable({
    url: v.string(),
    updatedAt: v.number(),
    updatedBy: v.string(),
    test: v.optional(connectionTestValidator),
  }),
  deploymentKeys: defineTable({
    /** `v1.…` ciphertext; a plain value is a row from before encryption and is not used. */
    key: v.string(),
    /** `••••last4`, kept at set time so showing the key never needs decrypting it. */
    masked: v.optional(v.string()),
    setAt: v.number(),
    setBy: v.string(),
  }),
};
