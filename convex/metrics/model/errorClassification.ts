/**
 * Maps a failed function execution, as the log stream reports it, to one of the console's error
 * codes, and normalises its message so failures that differ only in ids and numbers group together.
 */
export const ERROR_CODES = [
  "OCC",
  "VALIDATION_ERROR",
  "NOT_FOUND",
  "UNAUTHENTICATED",
  "UNAUTHORIZED",
  "RATE_LIMIT_EXCEEDED",
  "LIMIT_EXCEEDED",
  "TIMEOUT",
  "INTERNAL",
] as const;

export type KnownErrorCode = (typeof ERROR_CODES)[number];

/** An app's own ConvexError codes are kept as they are; these shapes are accepted as codes. */
const APP_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,47}$/;

const RULES: ReadonlyArray<[RegExp, KnownErrorCode]> = [
  [/OptimisticConcurrencyControlFailure|changed while this mutation was being run|write conflict/i, "OCC"],
  [
    /ArgumentValidationError|ReturnsValidationError|Value does not match validator|Validator error|Object is missing the required field|is not a valid/i,
    "VALIDATION_ERROR",
  ],
  [/rate ?limit|too many requests/i, "RATE_LIMIT_EXCEEDED"],
  [
    /too many (documents|reads|bytes|writes|db calls|function calls|scheduled)|TooMany[A-Z]\w*|read too many|exceeded .*limit|limit exceeded/i,
    "LIMIT_EXCEEDED",
  ],
  [/timed out|timeout/i, "TIMEOUT"],
  [/unauthenticated|not authenticated|not signed in|no identity/i, "UNAUTHENTICATED"],
  [/unauthori[sz]ed|forbidden|permission denied|access denied/i, "UNAUTHORIZED"],
  [/not found|does not exist|could not find|no such/i, "NOT_FOUND"],
];

/** The data of a ConvexError as Convex prints it: `Uncaught ConvexError: {"code":"…","message":"…"}`. */
function convexErrorData(message: string): { code?: unknown; message?: unknown } | null {
  const start = message.indexOf("ConvexError:");
  if (start === -1) return null;
  const payload = message.slice(start + "ConvexError:".length).trim();
  const end = payload.lastIndexOf("}");
  if (!payload.startsWith("{") || end === -1) return null;
  try {
    const data: unknown = JSON.parse(payload.slice(0, end + 1));
    return typeof data === "object" && data !== null ? (data as { code?: unknown; message?: unknown }) : null;
  } catch {
    return null;
  }
}

function convexErrorCode(message: string): string | null {
  const code = convexErrorData(message)?.code;
  return typeof code === "string" && APP_CODE_PATTERN.test(code) ? code : null;
}

export function classifyFailure(failure: { errorMessage: string | null; hasOccInfo: boolean }): string {
  if (failure.hasOccInfo) return "OCC";
  const message = failure.errorMessage ?? "";
  const appCode = convexErrorCode(message);
  if (appCode !== null) return appCode;
  for (const [pattern, code] of RULES) {
    if (pattern.test(message)) return code;
  }
  return "INTERNAL";
}

const MAX_NORMALIZED_LENGTH = 200;

/** Strips what varies between occurrences of one failure: request ids, ids, numbers, quoted values. */
export function normalizeErrorMessage(message: string | null): string {
  if (message === null || message.trim() === "") return "(no message)";
  const data = convexErrorData(message);
  if (data !== null && typeof data.message === "string") {
    // Keep the app's own words: a ConvexError's data is JSON, whose quoted keys would otherwise be masked.
    const code = typeof data.code === "string" ? `${data.code}: ` : "";
    return `ConvexError ${code}${normalizeErrorMessage(data.message)}`.slice(0, MAX_NORMALIZED_LENGTH);
  }
  const firstLine = message.split(/\n\s+at /)[0] ?? message;
  return firstLine
    .replace(/\[Request ID: [^\]]*\]\s*/g, "")
    .replace(/^(Server Error\s*)?(Uncaught\s+)?/, "")
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, "<email>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b[0-9a-z]{8,40}\b/g, (token) => (/\d/.test(token) && /[a-z]/.test(token) ? "<id>" : token))
    .replace(/\b[0-9a-f]{12,}\b/gi, "<hex>")
    .replace(/"[^"]{0,200}"/g, '"<str>"')
    .replace(/\b\d+(\.\d+)?\b/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_NORMALIZED_LENGTH);
}
