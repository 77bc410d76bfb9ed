import { v } from "convex/values";
import { recordAudit } from "../audit/record";
import { appError } from "../lib/errors";
import { adminMutation, adminQuery } from "../lib/functions";
import { isValidEmail, normalizeEmail } from "./model/password";
import { roleValidator } from "../lib/roles";

export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_INVITES_LISTED = 200;

export const listPending = adminQuery({
  args: {},
  handler: async (ctx) => {
    const invites = await ctx.db
      .query("invites")
      .withIndex("by_status", (q) => q.eq("status", "pending"))
      .order("desc")
      .take(MAX_INVITES_LISTED);
    const now = Date.now();
    return invites.map((invite) => ({
      _id: invite._id,
      email: invite.email,
      role: invite.role,
      invitedByEmail: invite.invitedByEmail,
      createdAt: invite._creationTime,
      expiresAt: invite.expiresAt,
      expired: invite.expiresAt <= now,
    }));
  },
});

/** Inviting an email that already has a pending invite renews it with the new role. */
export const create = adminMutation({
  args: { email: v.string(), role: roleValidator },
  handler: async (ctx, args) => {
    const email = normalizeEmail(args.email);
    if (!isValidEmail(email)) {
      throw appError("VALIDATION_ERROR", `"${args.email}" is not a valid email address.`);
    }
    const existingUser = await ctx.db
      .query("users")
      .withIndex("email", (q) => q.eq("email", email))
      .first();
    if (existingUser !== null) {
      throw appError("CONFLICT", `${email} already has an account.`);
    }
    const expiresAt = Date.now() + INVITE_LIFETIME_MS;
    const pending = await ctx.db
      .query("invites")
      .withIndex("by_email_status", (q) => q.eq("email", email).eq("status", "pending"))
      .first();
    const inviteId =
      pending === null
        ? await ctx.db.insert("invites", {
            email,
            role: args.role,
            status: "pending",
            invitedBy: ctx.user._id,
            invitedByEmail: ctx.user.email,
            expiresAt,
          })
        : pending._id;
    if (pending !== null) {
      await ctx.db.patch("invites", pending._id, {
        role: args.role,
        expiresAt,
        invitedBy: ctx.user._id,
        invitedByEmail: ctx.user.email,
      });
    }
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "invite.created",
      target: email,
      details: { role: args.role, renewed: pending !== null },
    });
    return inviteId;
  },
});

export const revoke = adminMutation({
  args: { inviteId: v.id("invites") },
  handler: async (ctx, { inviteId }) => {
    const invite = await ctx.db.get("invites", inviteId);
    if (invite === null || invite.status !== "pending") {
      throw appError("NOT_FOUND", "That invite is no longer pending.");
    }
    await ctx.db.patch("invites", inviteId, { status: "revoked" });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "invite.revoked",
      target: invite.email,
      details: { role: invite.role },
    });
  },
});
