import { passwordProblems } from "@convex/users/shared";
import type { ErrorInfo } from "@/lib/errors";

export type SignInFailure = {
  message: string;
  /** Password rules still unmet, listed under the message. */
  rules?: string[];
  /** Sign-up was refused: offer the sign-in form to whoever already has an account. */
  suggestSignIn?: boolean;
};

/** Turns a failed sign-in or sign-up into words an operator can act on. */
export function describeSignInError(
  { code, message }: ErrorInfo,
  context: {
    password: string;
    email: string;
    backendUrl: string;
    /** When a locked account may try again (ms), if the server said. */
    retryAt?: number | null;
    now?: number;
  },
): SignInFailure {
  switch (code) {
    case "INVALID_CREDENTIALS":
      return { message: "Wrong email or password." };
    case "NOT_INVITED":
      // The refusal never says whether the email has an account, so sign-in is offered to everyone.
      return { message: `Not invited: ${message}`, suggestSignIn: true };
    case "WEAK_PASSWORD": {
      const rules = passwordProblems(context.password, context.email);
      return { message: "Choose a stronger password.", rules: rules.length > 0 ? rules : [message] };
    }
    case "RATE_LIMIT_EXCEEDED":
      return {
        message:
          context.retryAt === undefined || context.retryAt === null
            ? "Too many attempts. Wait a few minutes, then try again."
            : lockoutSentence(context.retryAt, context.now ?? Date.now()),
      };
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

const clockTime = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "Too many failed sign-in attempts. Try again at 14:07 (in 6 minutes)…" in the reader's time zone. */
export function lockoutSentence(retryAt: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((retryAt - now) / 60_000));
  return (
    `Too many failed sign-in attempts on this account. Try again at ${clockTime.format(retryAt)} ` +
    `(in ${minutes} minute${minutes === 1 ? "" : "s"}), or ask an admin: an admin can clear the lock from Users.`
  );
}
