import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { recordAudit } from "../audit/record";
import { appError } from "../lib/errors";
import { adminMutation, adminQuery } from "../lib/functions";
import { roleValidator } from "../lib/roles";

/** Consoles have teams, not crowds: the Users page lists at most this many accounts. */
export const MAX_USERS_LISTED = 500;

export const list = adminQuery({
  args: {},
  handler: async (ctx) => {
    const users = await ctx.db.query("users").order("desc").take(MAX_USERS_LISTED);
    return users.map((user) => ({
      _id: user._id,
      _creationTime: user._creationTime,
      email: user.email ?? "",
      name: user.name ?? null,
      role: user.role ?? "viewer",
    }));
  },
});

async function getUserOrThrow(ctx: MutationCtx, userId: Id<"users">): Promise<Doc<"users">> {
  const user = await ctx.db.get("users", userId);
  if (user === null) {
    throw appError("NOT_FOUND", "That user no longer exists.");
  }
  return user;
}

/** Reads the admin index range, so two admins demoting each other at once conflict and retry. */
async function assertNotLastAdmin(ctx: MutationCtx, user: Doc<"users">, change: string): Promise<void> {
  if (user.role !== "admin") {
    return;
  }
  const admins = await ctx.db
    .query("users")
    .withIndex("by_role", (q) => q.eq("role", "admin"))
    .take(2);
  if (admins.length < 2) {
    throw appError(
      "LAST_ADMIN",
      `${user.email} is the last admin and cannot be ${change}. Make someone else admin first.`,
    );
  }
}

export const setRole = adminMutation({
  args: { userId: v.id("users"), role: roleValidator },
  handler: async (ctx, { userId, role }) => {
    const user = await getUserOrThrow(ctx, userId);
    if (user.role === role) {
      return;
    }
    if (role !== "admin") {
      await assertNotLastAdmin(ctx, user, "demoted");
    }
    await ctx.db.patch("users", userId, { role });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "user.role_changed",
      target: user.email ?? userId,
      details: { from: user.role ?? null, to: role },
    });
  },
});

/** Sessions a user piles up between sign-outs; removal deletes them in one transaction. */
const MAX_SESSIONS_DELETED = 1000;

export const remove = adminMutation({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => {
    const user = await getUserOrThrow(ctx, userId);
    if (userId === ctx.user._id) {
      throw appError("VALIDATION_ERROR", "You cannot remove your own account. Ask another admin.");
    }
    await assertNotLastAdmin(ctx, user, "removed");

    const sessions = await ctx.db
      .query("authSessions")
      .withIndex("userId", (q) => q.eq("userId", userId))
      .take(MAX_SESSIONS_DELETED);
    for (const session of sessions) {
      const tokens = await ctx.db
        .query("authRefreshTokens")
        .withIndex("sessionId", (q) => q.eq("sessionId", session._id))
        .collect();
      for (const token of tokens) {
        await ctx.db.delete("authRefreshTokens", token._id);
      }
      await ctx.db.delete("authSessions", session._id);
    }
    const accounts = await ctx.db
      .query("authAccounts")
      .withIndex("userIdAndProvider", (q) => q.eq("userId", userId))
      .collect();
    for (const account of accounts) {
      await ctx.db.delete("authAccounts", account._id);
    }
    await ctx.db.delete("users", userId);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "user.removed",
      target: user.email ?? userId,
      details: { role: user.role ?? null, sessionsEnded: sessions.length },
    });
  },
});
