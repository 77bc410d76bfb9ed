import { ConvexError } from "convex/values";
import type { ErrorCode } from "../../convex/lib/shared";

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

/** Reads the {code, message} the console's functions throw; anything else becomes INTERNAL. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ConvexError && isErrorData(error.data)) {
    return { code: error.data.code, message: error.data.message };
  }
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

export class TimeoutError extends Error {
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
