/**
 * What the browser needs from the imports domain: the upload chunk size, formats from file names,
 * the modes and their meaning, and state labels, so the page says what the server enforces.
 */
export { formatOfFileName, JSON_ARRAY_MAX_BYTES, type ImportFormat } from "./model/records";
export { confirmationOf, failureText, progressSentence } from "./model/convexText";
export { outcomeUnknownSentence } from "./model/states";
export { problemSentence } from "./model/problemSummary";

/** Each browser upload into the console's storage; the import re-cuts them into Convex's 5 MiB parts. */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;

/** The largest file the console accepts (Convex's 10,000 parts of 5 MiB would allow more). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;

export type ImportMode = "requireEmpty" | "append" | "replace" | "replaceAll";

export const IMPORT_MODE_LABELS: Record<ImportMode, string> = {
  requireEmpty: "Only into an empty table (requireEmpty)",
  append: "Add to the existing rows (append)",
  replace: "Replace the table's rows (replace)",
  replaceAll: "Replace every table (replaceAll)",
};

export const IMPORT_STATE_LABELS = {
  uploading: "Uploading",
  previewing: "Previewing",
  ready: "Ready to import",
  backing_up: "Taking the pre-import backup",
  sending: "Sending to the deployment",
  waiting_for_confirmation: "Waiting for confirmation",
  importing: "Importing",
  completed: "Completed",
  failed: "Failed",
  outcome_unknown: "Outcome unknown",
  canceled: "Canceled",
} as const;

export type ImportStateName = keyof typeof IMPORT_STATE_LABELS;

/** States in which the operator may still cancel. */
export const CANCELABLE_STATES: readonly ImportStateName[] = [
  "uploading",
  "previewing",
  "ready",
  "backing_up",
  "waiting_for_confirmation",
];

/** The modes a caller may pick for a file: replaceAll only for a ZIP and only for admins. */
export function allowedModes(format: string, isAdmin: boolean, intoConsoleItself = false): ImportMode[] {
  const modes: ImportMode[] = ["requireEmpty", "append", "replace"];
  // replaceAll would empty the console's own tables: never offered when the target is the console.
  return format === "zip" && isAdmin && !intoConsoleItself ? [...modes, "replaceAll"] : modes;
}
