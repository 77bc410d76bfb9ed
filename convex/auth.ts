import { ConvexCredentials } from "@convex-dev/auth/providers/ConvexCredentials";
import { convexAuth, createAccount, retrieveAccount } from "@convex-dev/auth/server";
import { makeFunctionReference } from "convex/server";
import { ConvexError } from "convex/values";
import { Scrypt } from "lucia";
import type { MutationCtx } from "./_generated/server";
import { hashInviteToken, MAX_INVITE_TOKEN_LENGTH } from "./users/model/inviteToken";
import { formatUtcClock, MAX_FAILED_SIGN_INS_PER_HOUR, PASSWORD_PROVIDER_ID } from "./users/lockout";
import { createUserFromSignUp } from "./users/signUp";
import { appError } from "./lib/errors";
import { isValidEmail, normalizeEmail, passwordProblems } from "./users/model/password";

const PROVIDER_ID = PASSWORD_PROVIDER_ID;

/** By name, not through _generated/api: that module's types are built from this one. */
const lockedUntilForEmail = makeFunctionReference<"query", { email: string }, number | null>(
  "users/lockout:lockedUntilForEmail",
);
const signUpRefusal = makeFunctionReference<
  "query",
  { email: string; inviteTokenHash?: string },
  string | null
>("users/signUp:signUpRefusal");

/**
 * A scrypt hash of a password no account has. A sign-in for an unknown email verifies against it,
 * so it costs the same scrypt work as a wrong password for a known one and the timing tells nothing.
 */
const DUMMY_HASH =
  "7a9544ab8527354f8e66429c86721cf6:1d9682de18e1d39228e8b2bd2e02dbec697c79769b68f7839af9323fa79c7b9e77b297cdecdecc9b0d026682e6896e64b863c6724057d8a5a45becdb2947a63b";

function stringParam(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  return typeof value === "string" ? value : "";
}

/**
 * Email + password, like @convex-dev/auth's Password provider, but failures surface as
 * ConvexError codes: production deployments redact plain error messages, and the sign-in form
 * must still tell a wrong password from a missing invite.
 */
const ConsolePassword = ConvexCredentials({
  id: PROVIDER_ID,
  crypto: {
    hashSecret: async (password: string) => await new Scrypt().hash(password),
    verifySecret: async (password: string, hash: string) => await new Scrypt().verify(hash, password),
  },
  authorize: async (params, ctx) => {
    const email = normalizeEmail(stringParam(params, "email"));
    const password = stringParam(params, "password");
    if (!isValidEmail(email)) {
      throw appError("VALIDATION_ERROR", "Enter a valid email address.");
    }
    if (params.flow === "signUp") {
      const problems = passwordProblems(password, email);
      if (problems.length > 0) {
        throw appError("WEAK_PASSWORD", problems.join(" "));
      }
      const name = stringParam(params, "name").trim().slice(0, 100);
      // Only the token's hash leaves this action: the profile is what the library may log at debug level.
      const inviteToken = stringParam(params, "invite").trim();
      const inviteTokenHash =
        inviteToken === "" ? undefined : hashInviteToken(inviteToken.slice(0, MAX_INVITE_TOKEN_LENGTH));
      // Decided before the library sees the password: for an existing account it would check it
      // with no lock-out. Only the first account or a valid invite for this email gets past.
      const refusal = await ctx.runQuery(signUpRefusal, {
        email,
        ...(inviteTokenHash ? { inviteTokenHash } : {}),
      });
      if (refusal !== null) throw appError("NOT_INVITED", refusal);
      const { user } = await createAccount(ctx, {
        provider: PROVIDER_ID,
        account: { id: email, secret: password },
        profile: { email, ...(name ? { name } : {}), ...(inviteTokenHash ? { inviteTokenHash } : {}) },
      });
      return { userId: user._id };
    }
    if (params.flow === "signIn") {
      try {
        const { user } = await retrieveAccount(ctx, {
          provider: PROVIDER_ID,
          account: { id: email, secret: password },
        });
        return { userId: user._id };
      } catch (error) {
        const reason = error instanceof Error ? error.message : "";
        if (reason.includes("TooManyFailedAttempts")) {
          const retryAt = await ctx.runQuery(lockedUntilForEmail, { email });
          throw new ConvexError({
            code: "RATE_LIMIT_EXCEEDED",
            message:
              retryAt === null
                ? "Too many failed sign-in attempts. Try again in a minute, or ask an admin to clear the lock."
                : `Too many failed sign-in attempts. Try again after ${formatUtcClock(retryAt)}, or ask an admin to clear the lock.`,
            retryAt,
          });
        }
        if (reason.includes("InvalidAccountId")) await new Scrypt().verify(DUMMY_HASH, password);
        if (reason.includes("InvalidSecret") || reason.includes("InvalidAccountId")) {
          throw appError("INVALID_CREDENTIALS", "Wrong email or password.");
        }
        throw error;
      }
    }
    throw appError("VALIDATION_ERROR", "Unknown sign-in flow.");
  },
});

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
  providers: [ConsolePassword],
  signIn: { maxFailedAttempsPerHour: MAX_FAILED_SIGN_INS_PER_HOUR },
  callbacks: {
    async createOrUpdateUser(ctx, args) {
      if (args.existingUserId !== null) {
        return args.existingUserId;
      }
      return await createUserFromSignUp(ctx as unknown as MutationCtx, args.profile);
    },
  },
});
