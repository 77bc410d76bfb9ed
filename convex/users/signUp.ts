import { v } from "convex/values";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { internalQuery } from "../lib/functions";
import { PASSWORD_PROVIDER_ID } from "./lockout";
import { normalizeEmail } from "./model/password";

const NOT_INVITED_SENTENCE =
  "Sign-up needs an invite link from an admin of this console. Open the link you were sent, or sign in if you already have an account.";

/**
 * Why an invite link cannot be used, in words the person signing up can act on; null when it can.
 * Without `email` (checking a link before the form is filled) the address is not compared.
 */
export function inviteProblem(
  invite: Doc<"invites"> | null,
  email: string | null,
  now: number,
): string | null {
  if (invite === null) {
    return "This invite link is not valid. Open the whole link you were sent, or ask an admin for a new one.";
  }
  if (invite.status === "accepted") {
    return "This invite link has already been used. Sign in instead, or ask an admin for a new invite.";
  }
  if (invite.status === "revoked") {
    return "This invite was revoked by an admin. Ask an admin of this console for a new invite.";
  }
  if (invite.expiresAt <= now) {
    return "This invite link has expired. Ask an admin of this console to invite you again.";
  }
  if (email !== null && invite.email !== email) {
    return "This invite link is for a different email address. Sign up with the address the invite was sent to.";
  }
  return null;
}

/**
 * Decides who may create an account: the very first account on an empty deployment becomes
 * admin; everyone after that needs the token of a pending, unexpired invite link for their own
 * email, whose role they get. Knowing an invited address is not enough. Runs inside
 * @convex-dev/auth's sign-up transaction, so a refusal creates nothing.
 */
export async function createUserFromSignUp(
  ctx: MutationCtx,
  profile: Record<string, unknown>,
): Promise<Id<"users">> {
  const email = normalizeEmail(String(profile.email ?? ""));
  const name = typeof profile.name === "string" && profile.name !== "" ? profile.name : undefined;
  const anyUser = await ctx.db.query("users").first();

  if (anyUser === null) {
    const userId = await ctx.db.insert("users", { email, name, role: "admin" });
    await recordAudit(ctx, {
      actor: { _id: userId, email },
      action: "user.bootstrap_admin",
      target: email,
      details: { role: "admin" },
    });
    return userId;
  }

  const tokenHash = typeof profile.inviteTokenHash === "string" ? profile.inviteTokenHash : null;
  if (tokenHash === null) {
    throw appError("NOT_INVITED", NOT_INVITED_SENTENCE);
  }
  const invite = await ctx.db
    .query("invites")
    .withIndex("by_token_hash", (q) => q.eq("tokenHash", tokenHash))
    .unique();
  const now = Date.now();
  const problem = inviteProblem(invite, email, now);
  if (invite === null || problem !== null) {
    throw appError("NOT_INVITED", problem ?? "This invite link is not valid.");
  }
  const userId = await ctx.db.insert("users", { email, name, role: invite.role });
  await ctx.db.patch("invites", invite._id, { status: "accepted", acceptedAt: now });
  await recordAudit(ctx, {
    actor: { _id: userId, email },
    action: "user.signed_up",
    target: email,
    details: { role: invite.role, invitedBy: invite.invitedByEmail },
  });
  return userId;
}

async function signUpRefusalFor(
  ctx: QueryCtx,
  email: string,
  tokenHash: string | null,
): Promise<string | null> {
  if ((await ctx.db.query("users").first()) === null) return null;
  if (tokenHash === null) return NOT_INVITED_SENTENCE;
  const invite = await ctx.db
    .query("invites")
    .withIndex("by_token_hash", (q) => q.eq("tokenHash", tokenHash))
    .unique();
  const problem = inviteProblem(invite, email, Date.now());
  if (problem !== null) return problem;
  // Invites are never made for an address with an account; should one exist anyway, the sign-up
  // must not reach it (the library would check the password there, outside the lock-out).
  const account = await ctx.db
    .query("authAccounts")
    .withIndex("providerAndAccountId", (q) =>
      q.eq("provider", PASSWORD_PROVIDER_ID).eq("providerAccountId", email),
    )
    .unique();
  return account === null ? null : NOT_INVITED_SENTENCE;
}

/**
 * Asked by the sign-up flow before it goes near the accounts: why this sign-up is refused, or null.
 * Only the first account or the holder of a valid invite for this email gets past it, so a sign-up
 * never checks a password against an existing account, and a refusal never depends on whether the
 * email has one (what it says depends only on the invite token the caller sent).
 */
export const signUpRefusal = internalQuery({
  args: { email: v.string(), inviteTokenHash: v.optional(v.string()) },
  handler: async (ctx, args): Promise<string | null> =>
    await signUpRefusalFor(ctx, normalizeEmail(args.email), args.inviteTokenHash ?? null),
});
