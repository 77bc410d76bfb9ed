import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { internalQuery } from "../lib/functions";
import { normalizeEmail } from "./model/password";

/**
 * Brute-force protection is @convex-dev/auth's: each wrong password spends one attempt, attempts
 * refill evenly over an hour, and an account with less than one attempt left is locked. These
 * helpers say until when, so the locked-out person and the admins can be told.
 */
export const MAX_FAILED_SIGN_INS_PER_HOUR = 10;

/** The provider id the console's password accounts are stored under. */
export const PASSWORD_PROVIDER_ID = "password";

const HOUR_MS = 60 * 60 * 1000;

/** When the account may try again, or null when it is not locked at `now`. */
export function lockedUntil(
  limit: Pick<Doc<"authRateLimits">, "attemptsLeft" | "lastAttemptTime"> | null,
  now: number,
): number | null {
  if (limit === null || limit.attemptsLeft >= 1) return null;
  const refillMsPerAttempt = HOUR_MS / MAX_FAILED_SIGN_INS_PER_HOUR;
  const until = limit.lastAttemptTime + Math.ceil((1 - limit.attemptsLeft) * refillMsPerAttempt);
  return until > now ? until : null;
}

/** "13:07 UTC": the server cannot know the reader's time zone, so it names one. */
export function formatUtcClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

export async function passwordAccountOf(
  ctx: QueryCtx,
  userId: Id<"users">,
): Promise<Doc<"authAccounts"> | null> {
  return await ctx.db
    .query("authAccounts")
    .withIndex("userIdAndProvider", (q) => q.eq("userId", userId).eq("provider", PASSWORD_PROVIDER_ID))
    .unique();
}

export async function rateLimitOf(
  ctx: QueryCtx,
  accountId: Id<"authAccounts">,
): Promise<Doc<"authRateLimits"> | null> {
  return await ctx.db
    .query("authRateLimits")
    .withIndex("identifier", (q) => q.eq("identifier", accountId))
    .unique();
}

/** Until when the password account of this email is locked, for the sign-in refusal. */
export const lockedUntilForEmail = internalQuery({
  args: { email: v.string() },
  handler: async (ctx, args): Promise<number | null> => {
    const account = await ctx.db
      .query("authAccounts")
      .withIndex("providerAndAccountId", (q) =>
        q.eq("provider", PASSWORD_PROVIDER_ID).eq("providerAccountId", normalizeEmail(args.email)),
      )
      .unique();
    if (account === null) return null;
    return lockedUntil(await rateLimitOf(ctx, account._id), Date.now());
  },
});
