import { v } from "convex/values";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation, adminQuery, anonymousQuery } from "../lib/functions";
import { isValidEmail, normalizeEmail } from "./model/password";
import { roleValidator } from "../lib/roles";
import { hashInviteToken, MAX_INVITE_TOKEN_LENGTH, newInviteToken } from "./model/inviteToken";
import { INVITE_LIFETIME_DAYS } from "./shared";
import { inviteProblem } from "./signUp";

export const INVITE_LIFETIME_MS = INVITE_LIFETIME_DAYS * 24 * 60 * 60 * 1000;
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
      /** Invites from before invite links have no token: nobody can sign up on them. */
      hasLink: invite.tokenHash !== undefined,
    }));
  },
});

/**
 * Creates a one-time invite link for an email. The token is returned once, for the admin to pass
 * on; only its hash is stored. Inviting an email that already has a pending invite renews it with
 * the new role and a new token, so the earlier link stops working.
 */
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
    const token = newInviteToken();
    const tokenHash = hashInviteToken(token);
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
            tokenHash,
          })
        : pending._id;
    if (pending !== null) {
      await ctx.db.patch("invites", pending._id, {
        role: args.role,
        expiresAt,
        tokenHash,
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
    return { inviteId, token, email, role: args.role, expiresAt };
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

/**
 * What an invite link is for, so the sign-up screen can name the invited email and role, or say
 * why the link no longer works, before anything is typed. Only the link's holder can ask: the
 * token has 256 random bits.
 */
export const linkStatus = anonymousQuery({
  args: { token: v.string() },
  handler: async (ctx, args) => {
    const tokenHash = hashInviteToken(args.token.trim().slice(0, MAX_INVITE_TOKEN_LENGTH));
    const invite = await ctx.db
      .query("invites")
      .withIndex("by_token_hash", (q) => q.eq("tokenHash", tokenHash))
      .unique();
    const problem = inviteProblem(invite, null, Date.now());
    if (invite === null || problem !== null) {
      return { usable: false as const, problem: problem ?? "This invite link is not valid." };
    }
    return { usable: true as const, email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
  },
});
