/**
 * How a failed call to a deployment's admin API reads to an operator: one code per situation the
 * console handles differently, and a sentence that says what happened and what to do. Convex
 * answers errors as `{"code", "message"}`; its codes (e.g. `ExportInProgress`) map to ours here.
 */

export type DeploymentErrorCode =
  | "DEPLOYMENT_KEY_REFUSED"
  | "EXPORT_IN_PROGRESS"
  | "EXPORT_NOT_FOUND"
  | "EXPORT_NOT_COMPLETE"
  | "IMPORT_NOT_CANCELABLE"
  | "DEPLOYMENT_REJECTED"
  | "DEPLOYMENT_FAILED"
  | "DEPLOYMENT_UNREACHABLE"
  | "DEPLOYMENT_TIMEOUT"
  | "DEPLOYMENT_BAD_RESPONSE"
  | "DEPLOYMENT_FUNCTION_FAILED";

export type DeploymentErrorData = {
  code: DeploymentErrorCode;
  message: string;
  /** HTTP status, when the deployment answered. */
  status?: number;
  /** Convex's own error code, when it sent one. */
  convexCode?: string;
};

export type FailedAttempt =
  | { kind: "http"; status: number; convexCode?: string; convexMessage?: string }
  | { kind: "network" }
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "stalled"; timeoutMs: number }
  | { kind: "badResponse"; detail: string }
  | { kind: "functionFailed"; detail: string };

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);
const attemptsText = (attempts: number) => (attempts === 1 ? "" : ` after ${attempts} attempts`);

/** The sentence and code for the last failed attempt of `operation` (e.g. "request an export"). */
export function describeFailure(
  failure: FailedAttempt,
  context: { deployment: string; operation: string; attempts: number },
): DeploymentErrorData {
  const { deployment, operation, attempts } = context;
  switch (failure.kind) {
    case "network":
      return {
        code: "DEPLOYMENT_UNREACHABLE",
        message: `Could not reach ${deployment} to ${operation}${attemptsText(attempts)}. Check its URL and that it is up.`,
      };
    case "timeout":
      return {
        code: "DEPLOYMENT_TIMEOUT",
        message: `${deployment} did not answer within ${duration(failure.timeoutMs)} when asked to ${operation}${attemptsText(attempts)}.`,
      };
    case "stalled":
      return {
        code: "DEPLOYMENT_TIMEOUT",
        message: `${deployment} stopped sending data for ${duration(failure.timeoutMs)} when asked to ${operation}.`,
      };
    case "badResponse":
      return {
        code: "DEPLOYMENT_BAD_RESPONSE",
        message: `${deployment} gave an answer the console does not understand when asked to ${operation}: ${failure.detail}.`,
      };
    case "functionFailed":
      return {
        code: "DEPLOYMENT_FUNCTION_FAILED",
        message: `${deployment} could not ${operation}: ${failure.detail}`,
      };
    case "http":
      break;
  }
  const { status, convexCode, convexMessage } = failure;
  const said = convexMessage ? ` It said: ${convexMessage}` : "";
  const data = (code: DeploymentErrorCode, message: string): DeploymentErrorData => ({
    code,
    message,
    status,
    ...(convexCode ? { convexCode } : {}),
  });
  if (status === 401 || status === 403) {
    return data(
      "DEPLOYMENT_KEY_REFUSED",
      `The deploy key was refused by ${deployment}. Check in Settings that it is current and allowed to manage backups.`,
    );
  }
  switch (convexCode) {
    case "ExportInProgress":
      return data(
        "EXPORT_IN_PROGRESS",
        `An export is already running on ${deployment}. Only one runs at a time: wait for it to finish, then try again.`,
      );
    case "ExportNotFound":
      return data(
        "EXPORT_NOT_FOUND",
        `That export no longer exists on ${deployment}; it may have expired and been deleted.`,
      );
    case "ExportNotComplete":
      return data("EXPORT_NOT_COMPLETE", `That export on ${deployment} has not finished yet.`);
    case "CannotCancelImport":
      return data(
        "IMPORT_NOT_CANCELABLE",
        `That import on ${deployment} has already finished, so it cannot be canceled.`,
      );
  }
  if (status >= 500) {
    return data(
      "DEPLOYMENT_FAILED",
      `${deployment} failed to ${operation} (HTTP ${status})${attemptsText(attempts)}.${said}`,
    );
  }
  return data("DEPLOYMENT_REJECTED", `${deployment} refused to ${operation} (HTTP ${status}).${said}`);
}

/** Only a deployment that failed or could not be reached is asked again; a refusal (4xx) stands. */
export function isRetryable(failure: FailedAttempt): boolean {
  return (
    failure.kind === "network" ||
    failure.kind === "timeout" ||
    (failure.kind === "http" && failure.status >= 500)
  );
}

/** Exponential backoff with ±20 % jitter, capped: 500 ms, 1 s, 2 s, … up to `maxMs`. */
export function backoffDelay(
  retry: number,
  options: { baseMs: number; maxMs: number; random: () => number },
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  return Math.round(exponential * (0.8 + 0.4 * options.random()));
}

/** "happy-otter-123" for a Convex cloud URL, the host (and port) for anything else. */
export function deploymentNameFromUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const cloud = /^([a-z0-9-]+)\.convex\.cloud$/.exec(parsed.hostname);
    return cloud ? cloud[1]! : parsed.host;
  } catch {
    return "the deployment";
  }
}

/** Removes every occurrence of a secret from text that may end up in an error, a log or a browser. */
export function redact(text: string, secret: string): string {
  return secret.length === 0 ? text : text.split(secret).join("[redacted]");
}
