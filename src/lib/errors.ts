import { ConvexError } from "convex/values";
import type { ErrorCode } from "@convex/lib/shared";

export type { ErrorCode };

export type ErrorInfo = {
  /** A server ErrorCode, or a client-side code such as NETWORK or INTERNAL. */
  code: ErrorCode | "NETWORK" | "TIMEOUT" | "INTERNAL";
  message: string;
};

function isErrorData(data: unknown): data is { code: ErrorCode; message: string } {
  return (
    typeof data === "object" &&
    data !== null &&
    typeof (data as { code?: unknown }).code === "string" &&
    typeof (data as { message?: unknown }).message === "string"
  );
}

/**
 * Convex refuses arguments that do not match a function's validator before the function runs, with
 * the validator's own words and placeholder values (`Value: "<str>"`). A person is told which
 * field, in a sentence; the validator text never reaches the screen.
 */
function argumentValidationSentence(message: string): string | null {
  if (!/ArgumentValidationError|Validator error|does not match validator/.test(message)) return null;
  const missing = /Missing required field `([^`]+)`|missing the required field `([^`]+)`/.exec(message);
  if (missing) return `“${missing[1] ?? missing[2]}” is missing.`;
  const path = /^Path: \.?([\w.[\]]+)/m.exec(message);
  if (path) return `The value for “${path[1]}” was not in the form expected.`;
  return "A value was not in the form expected.";
}

/** Reads the {code, message} the console's functions throw; anything else becomes INTERNAL. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ConvexError && isErrorData(error.data)) {
    return { code: error.data.code, message: error.data.message };
  }
  const invalid = error instanceof Error ? argumentValidationSentence(error.message) : null;
  if (invalid !== null) return { code: "VALIDATION_ERROR", message: invalid };
  if (error instanceof TimeoutError) {
    return { code: "TIMEOUT", message: error.message };
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return { code: "NETWORK", message: error.message };
  }
  if (error instanceof Error) {
    return { code: "INTERNAL", message: error.message || "Something went wrong." };
  }
  return { code: "INTERNAL", message: "Something went wrong." };
}

/**
 * What each code means to the person who saw it, as a sentence with the way forward. The server's
 * message says what happened to this request; this says what the code means. Codes without a
 * sentence show the server's message alone.
 */
const CODE_SENTENCES: Partial<Record<ErrorInfo["code"], string>> = {
  UNAUTHENTICATED: "Your session has ended: sign in again to continue.",
  UNAUTHORIZED: "Your role does not allow this: ask an admin if you need it.",
  VALIDATION_ERROR: "Some input was not accepted: correct it and try again.",
  NOT_FOUND: "It no longer exists: someone may have removed it.",
  NOT_INVITED: "Sign-up needs an invite: ask an admin for one.",
  INVALID_CREDENTIALS: "The email or password is not right.",
  WEAK_PASSWORD: "Choose a longer password that is harder to guess.",
  RATE_LIMIT_EXCEEDED: "Too many attempts in a short time: wait a little, then try again.",
  LAST_ADMIN: "The console always keeps one admin: make someone else admin first.",
  CONFLICT: "Someone changed this at the same time: check the current state and try again.",
  NETWORK: "The backend could not be reached: check the connection, then try again.",
  TIMEOUT: "The backend took too long to answer: try again in a moment.",
  INTERNAL: "Something went wrong on the console's side.",
};

/** The code's meaning as a sentence, or null for a code without one. */
export function describeErrorCode(code: ErrorInfo["code"]): string | null {
  return CODE_SENTENCES[code] ?? null;
}

class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** Rejects with a TimeoutError when `promise` has not settled after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
