import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import type { WorkProgressView } from "@/components/WorkProgress";
import { formatBytes } from "@/lib/format";
import {
  failureText,
  IMPORT_STATE_LABELS,
  outcomeUnknownSentence,
  progressSentence,
  type ImportMode,
} from "@convex/imports/shared";

export type ImportRow = NonNullable<FunctionReturnType<typeof api.imports.imports.get>>;
export type ImportStatus = ImportRow["status"];

function percentOf(done: number, total: number): number {
  return total <= 0 ? 0 : Math.min(100, Math.floor((done / total) * 100));
}

/**
 * What an import's state reads like: its label, a progress figure and one sentence of detail, in
 * the console's words (Convex's progress and failure texts are written for its CLI).
 */
export function importView(
  status: ImportStatus,
  sizeBytes: number,
  tableRows?: ImportRow["tableRows"],
): WorkProgressView {
  const label = IMPORT_STATE_LABELS[status.state];
  switch (status.state) {
    case "uploading":
      return {
        label,
        percent: percentOf(status.bytesUploaded, sizeBytes),
        detail: `${formatBytes(status.bytesUploaded)} of ${formatBytes(sizeBytes)} stored in the console.`,
        running: true,
        tone: "running",
      };
    case "previewing":
      return {
        label,
        percent: null,
        detail: "Reading the whole file; nothing is written.",
        running: true,
        tone: "running",
      };
    case "ready":
      return { label, percent: null, detail: null, running: false, tone: "neutral" };
    case "backing_up":
      return {
        label,
        percent: null,
        detail: "A backup of the deployment is taken before its rows are replaced.",
        running: true,
        tone: "running",
      };
    case "sending":
      return {
        label,
        percent: percentOf(status.bytesSent, sizeBytes),
        detail: `${formatBytes(status.bytesSent)} of ${formatBytes(sizeBytes)} sent to the deployment.`,
        running: true,
        tone: "running",
      };
    case "waiting_for_confirmation":
      return {
        label,
        percent: null,
        detail: "Nothing is written until you confirm Convex's summary below.",
        running: false,
        tone: "neutral",
      };
    case "importing":
      return {
        label,
        percent: null,
        detail: progressSentence(status.progressMessage),
        running: true,
        tone: "running",
      };
    case "completed":
      return {
        label,
        percent: 100,
        detail: `${status.rowsWritten.toLocaleString("en-US")} ${status.rowsWritten === 1 ? "row" : "rows"} written.`,
        running: false,
        tone: "ok",
      };
    case "failed":
      return {
        label,
        percent: null,
        detail: sentence(failureText(status.reason)),
        running: false,
        tone: "problem",
      };
    case "outcome_unknown":
      return {
        label,
        percent: null,
        detail: `${outcomeUnknownSentence(status, tableRows)} Why it stopped: ${sentence(failureText(status.reason))}`,
        running: false,
        tone: "problem",
      };
    case "canceled":
      return {
        label,
        percent: null,
        detail: "Canceled before anything was written.",
        running: false,
        tone: "neutral",
      };
  }
}

/** Convex's messages end without a full stop at times; shown as a sentence they get one. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** What the operator types to confirm a mode that replaces rows: the table, or the deployment for a ZIP. */
export function replaceConfirmation(mode: ImportMode, row: Pick<ImportRow, "targetTable" | "deployment">) {
  return mode === "replace" || mode === "replaceAll" ? (row.targetTable ?? row.deployment) : null;
}

/** Why a previewed file cannot be sent, or null when it can. */
export function blockedReason(preview: NonNullable<ImportRow["preview"]>): string | null {
  if (preview.rejected !== null) return sentence(preview.rejected);
  if (preview.invalidCount > 0)
    return `${preview.invalidCount.toLocaleString("en-US")} invalid ${preview.invalidCount === 1 ? "line" : "lines"}: Convex would stop at the first, so fix the file and upload it again.`;
  return null;
}

/** How the console sent the file, when it differs from the file's own format. */
export function sentAsNote(row: Pick<ImportRow, "typedBySchema" | "targetTable">): string | null {
  if (row.typedBySchema !== true || row.targetTable === null) return null;
  return `typed by the schema of ${row.targetTable}, sent as JSON Lines`;
}

/**
 * The preview to show: the schema-typed one while the operator keeps typing by the schema on (or
 * once the file was sent that way), otherwise the one with Convex's own rules.
 */
export function shownPreview(
  row: Pick<ImportRow, "preview" | "schemaTypedPreview" | "typedBySchema" | "status">,
  typeBySchema: boolean,
): ImportRow["preview"] {
  const typed = row.status.state === "ready" ? typeBySchema : row.typedBySchema === true;
  return typed && row.schemaTypedPreview !== undefined ? row.schemaTypedPreview : row.preview;
}

/**
 * What is known, before sending, about Convex refusing requireEmpty: it refuses a target table that
 * has rows. `refused` is true only when the count says so; otherwise the sentence says what is known.
 */
export function requireEmptyCheck(row: Pick<ImportRow, "tableRows">): { refused: boolean; text: string } {
  const tableRows = row.tableRows;
  if (tableRows === undefined) return { refused: false, text: "Counting the rows of the target table…" };
  if (tableRows.problem !== null)
    return {
      refused: false,
      text: `Whether the target table is empty could not be read (${tableRows.problem.replace(/\.$/, "")}); Convex will refuse requireEmpty if it is not.`,
    };
  const filled = tableRows.counts.filter((count) => count.rows > 0);
  if (filled.length === 0) return { refused: false, text: "The target table is empty." };
  const listed = filled
    .map(
      (count) =>
        `${count.table} holds ${count.rows.toLocaleString("en-US")} ${count.rows === 1 ? "row" : "rows"}`,
    )
    .join(", ");
  return {
    refused: true,
    text: `${listed}: Convex refuses requireEmpty for a table with rows, so choose append or replace.`,
  };
}

/** An import that was sent and did not complete can be sent again from its stored file. */
export function canSendAgain(row: Pick<ImportRow, "status" | "mode" | "preview">): boolean {
  return (
    (row.status.state === "failed" || row.status.state === "outcome_unknown") &&
    row.mode !== undefined &&
    row.preview !== undefined
  );
}
