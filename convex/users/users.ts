import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation, adminQuery, anonymousQuery, viewerQuery } from "../lib/functions";
import { roleValidator } from "../lib/roles";
import { lockedUntil, passwordAccountOf, rateLimitOf } from "./lockout";

/** The signed-in operator: what the shell shows and which pages the navigation offers. */
export const me = viewerQuery({
  args: {},
  handler: async (ctx) => ({
    _id: ctx.user._id,
    email: ctx.user.email,
    name: ctx.user.name ?? null,
    role: ctx.user.role,
  }),
});

/** Lets the sign-up screen say whether this account will be the first admin or needs an invite. */
export const bootstrapStatus = anonymousQuery({
  args: {},
  handler: async (ctx) => ({
    needsFirstAdmin: (await ctx.db.query("users").first()) === null,
  }),
});

/** Consoles have teams, not crowds: the Users page lists at most this many accounts. */
export const MAX_USERS_LISTED = 500;

export const list = adminQuery({
  args: {},
  handler: async (ctx) => {
    const users = await ctx.db.query("users").order("desc").take(MAX_USERS_LISTED);
    const now = Date.now();
    return await Promise.all(
      users.map(async (user) => {
        const account = await passwordAccountOf(ctx, user._id);
        return {
          _id: user._id,
          _creationTime: user._creationTime,
          email: user.email ?? "",
          name: user.name ?? null,
          role: user.role ?? "viewer",
          /** Set while too many wrong passwords keep this account from signing in. */
          lockedUntil: account === null ? null : lockedUntil(await rateLimitOf(ctx, account._id), now),
        };
      }),
    );
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

/** Lifts a brute-force lock at once, e.g. for a colleague locked out by someone guessing their password. */
export const clearLock = adminMutation({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => {
    const user = await getUserOrThrow(ctx, userId);
    const account = await passwordAccountOf(ctx, userId);
    const limit = account === null ? null : await rateLimitOf(ctx, account._id);
    const until = lockedUntil(limit, Date.now());
    if (limit === null || until === null) {
      throw appError("NOT_FOUND", `${user.email ?? "This user"} is not locked out.`);
    }
    await ctx.db.delete("authRateLimits", limit._id);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "user.lock_cleared",
      target: user.email ?? userId,
      details: { lockedUntil: until },
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
