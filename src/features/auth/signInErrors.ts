import { passwordProblems } from "../../../convex/users/shared";
import type { ErrorInfo } from "../../lib/errors";

export type SignInFailure = {
  message: string;
  /** Password rules still unmet, listed under the message. */
  rules?: string[];
  /** The account exists: offer the other form. */
  suggestSignIn?: boolean;
};

/** Turns a failed sign-in or sign-up into words an operator can act on. */
export function describeSignInError(
  { code, message }: ErrorInfo,
  context: { password: string; email: string; backendUrl: string },
): SignInFailure {
  switch (code) {
    case "INVALID_CREDENTIALS":
      return { message: "Wrong email or password." };
    case "NOT_INVITED":
      return { message: `Not invited: ${message}` };
    case "WEAK_PASSWORD": {
      const rules = passwordProblems(context.password, context.email);
      return { message: "Choose a stronger password.", rules: rules.length > 0 ? rules : [message] };
    }
    case "ACCOUNT_EXISTS":
      return { message: "An account with this email already exists. Sign in instead.", suggestSignIn: true };
    case "RATE_LIMIT_EXCEEDED":
      return { message: "Too many attempts. Wait a few minutes, then try again." };
    case "VALIDATION_ERROR":
      return { message };
    case "TIMEOUT":
    case "NETWORK":
      return {
        message: `Can't reach the backend at ${context.backendUrl}. Check that it is running and your network is up, then try again.`,
      };
    default:
      return { message: `Sign-in failed (${code}): ${message}` };
  }
}
