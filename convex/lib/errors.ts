import { ConvexError } from "convex/values";

/** Error codes the console's functions throw; the UI maps each to a message and a remedy. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "UNAUTHORIZED"
  | "VALIDATION_ERROR"
  | "NOT_FOUND"
  | "NOT_INVITED"
  | "INVALID_CREDENTIALS"
  | "WEAK_PASSWORD"
  | "RATE_LIMIT_EXCEEDED"
  | "LAST_ADMIN"
  | "CONFLICT"
  /** A stored secret cannot be used: CONSOLE_SECRETS_KEY is missing or changed, or it predates encryption. */
  | "SECRET_UNREADABLE";

export type ErrorData = { code: ErrorCode; message: string };

export function appError(code: ErrorCode, message: string): ConvexError<ErrorData> {
  return new ConvexError({ code, message });
}

/** What went wrong, as the sentence a person reads: a ConvexError's message, else the error's own. */
export function sentenceOf(error: unknown): string {
  if (error instanceof ConvexError) {
    const data = error.data as { message?: unknown } | null;
    if (typeof data?.message === "string") return data.message;
  }
  return error instanceof Error ? error.message : String(error);
}
