/** What other domains may use of users: the one rule that makes two spellings of an email equal. */
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { normalizeEmail } from "./model/password";

export { normalizeEmail };
export { formatUtcClock } from "./lockout";

/** The most emails one lookup resolves: each is one index read, and a query's reads are bounded. */
export const EMAIL_LOOKUP_MAX = 1000;

/**
 * The users with these emails (normalized, by the users table's email index), each with its id;
 * an email no user has is left out. Refuses more than `EMAIL_LOOKUP_MAX` emails at once.
 */
export async function userIdsByEmail(
  ctx: QueryCtx,
  emails: readonly string[],
): Promise<{ email: string; userId: Id<"users"> }[]> {
  const distinct = [...new Set(emails.map(normalizeEmail))];
  if (distinct.length > EMAIL_LOOKUP_MAX)
    throw new Error(`At most ${EMAIL_LOOKUP_MAX} emails are looked up at once.`);
  const found = await Promise.all(
    distinct.map(async (email) => {
      const user = await ctx.db
        .query("users")
        .withIndex("email", (q) => q.eq("email", email))
        .first();
      return user === null ? null : { email, userId: user._id };
    }),
  );
  return found.filter((entry) => entry !== null);
}
