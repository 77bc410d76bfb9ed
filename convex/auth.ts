import { ConvexCredentials } from "@convex-dev/auth/providers/ConvexCredentials";
import { convexAuth, createAccount, retrieveAccount } from "@convex-dev/auth/server";
import { Scrypt } from "lucia";
import type { MutationCtx } from "./_generated/server";
import { createUserFromSignUp } from "./users/signUp";
import { appError } from "./lib/errors";
import { isValidEmail, normalizeEmail, passwordProblems } from "./users/model/password";

const PROVIDER_ID = "password";

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
      try {
        const { user } = await createAccount(ctx, {
          provider: PROVIDER_ID,
          account: { id: email, secret: password },
          profile: name ? { email, name } : { email },
        });
        return { userId: user._id };
      } catch (error) {
        if (error instanceof Error && error.message.includes("already exists")) {
          throw appError("ACCOUNT_EXISTS", "An account with this email already exists. Sign in instead.");
        }
        throw error;
      }
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
          throw appError(
            "RATE_LIMIT_EXCEEDED",
            "Too many failed attempts. Wait a few minutes and try again.",
          );
        }
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
  callbacks: {
    async createOrUpdateUser(ctx, args) {
      if (args.existingUserId !== null) {
        return args.existingUserId;
      }
      return await createUserFromSignUp(ctx as unknown as MutationCtx, args.profile);
    },
  },
});
