/**
 * An import's life as states and legal moves, pure and tested like backups' `states.ts`:
 * uploading → previewing → ready (or failed when nothing in the file can be imported) → backing up
 * (replace modes) → sending → waiting for confirmation → importing → completed, failed, or, for an
 * append that stopped while Convex was writing, outcome unknown: Convex writes an append straight
 * into the table in batches (`snapshot_import/mod.rs`, `ImportMode::Append` uses the active table),
 * so rows may be there, while requireEmpty, replace and replaceAll write hidden tables swapped in
 * one commit at the end, and a failure leaves the table as it was.
 */
import type { Infer } from "convex/values";
import type { importStateValidator } from "../tables";
import { importProgressOf } from "./convexText";

export type ImportState = Infer<typeof importStateValidator>;
export type ImportStateName = ImportState["state"];
type Mode = "requireEmpty" | "append" | "replace" | "replaceAll";

export const FINAL_IMPORT_STATES: readonly ImportStateName[] = [
  "completed",
  "failed",
  "outcome_unknown",
  "canceled",
];

/** The states each state may move to; a running step may report progress in the same state. */
const NEXT: Record<ImportStateName, readonly ImportStateName[]> = {
  uploading: ["uploading", "previewing", "canceled"],
  previewing: ["ready", "failed", "canceled"],
  ready: ["backing_up", "sending", "canceled"],
  backing_up: ["sending", "failed", "canceled"],
  sending: ["sending", "waiting_for_confirmation", "importing", "completed", "failed"],
  waiting_for_confirmation: ["importing", "completed", "failed", "canceled"],
  importing: ["importing", "completed", "failed", "outcome_unknown"],
  completed: [],
  failed: [],
  outcome_unknown: [],
  canceled: [],
};

export class ImportTransitionError extends Error {
  override name = "ImportTransitionError";
}

export function canMove(from: ImportStateName, to: ImportStateName): boolean {
  return NEXT[from].includes(to);
}

export function assertMove(from: ImportStateName, to: ImportStateName): void {
  if (!canMove(from, to)) throw new ImportTransitionError(`An import cannot go from ${from} to ${to}.`);
}

/**
 * What a failed step leaves behind: an append that Convex had started writing has an unknown
 * outcome (with the last progress it reported); anything else failed with nothing written.
 */
export function failureState(
  current: ImportState,
  mode: Mode | undefined,
  step: string,
  reason: string,
  rowsInFile: number,
): ImportState {
  if (current.state === "importing" && mode === "append") {
    return {
      state: "outcome_unknown",
      step,
      reason,
      lastProgress: current.progressMessage,
      rowsReported: importProgressOf(current.progressMessage).rows,
      rowsInFile: importProgressOf(current.progressMessage).total ?? rowsInFile,
    };
  }
  return { state: "failed", step, reason };
}

type PreviewCounts = { rows: number; validRows: number; invalidCount: number; rejected: string | null };

/** A preview is ready to send only when some row can be imported as Convex or the schema types it. */
export function afterPreview(preview: PreviewCounts, typed: PreviewCounts | undefined): ImportState {
  const sendable = (counts: PreviewCounts) => counts.rejected === null && counts.validRows > 0;
  if (sendable(preview) || (typed !== undefined && sendable(typed))) return { state: "ready" };
  const reason =
    preview.rejected ??
    (preview.rows === 0
      ? "The file holds no rows to import."
      : `None of the file's ${preview.rows.toLocaleString("en-US")} rows can be imported: the problems are listed below; fix them and upload the file again.`);
  return { state: "failed", step: "preview", reason };
}

const rows = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "row" : "rows"}`;

export type TableRows = { counts: { table: string; rows: number }[]; problem: string | null } | undefined;

/**
 * What is known after an append stopped mid-way, e.g. "Outcome unknown: Convex last reported
 * 4,000 of 150,000 rows; tasks holds 4,012 rows now."
 */
export function outcomeUnknownSentence(
  state: Extract<ImportState, { state: "outcome_unknown" }>,
  tableRows: TableRows,
): string {
  const reported =
    state.rowsReported === null
      ? "Convex had reported no rows written when it stopped"
      : `Convex last reported ${state.rowsReported.toLocaleString("en-US")} of ${rows(state.rowsInFile)}`;
  let now: string;
  if (tableRows === undefined) now = "counting the table's rows now…";
  else if (tableRows.problem !== null)
    now = `the table's row count could not be read (${tableRows.problem.replace(/\.$/, "")})`;
  else now = tableRows.counts.map((count) => `${count.table} holds ${rows(count.rows)} now`).join(", ");
  return `Outcome unknown: ${reported}; ${now}. An append writes straight into the table, so rows written before it stopped stay: check them before sending this file again.`;
}

type EarlierImport = {
  status: ImportState;
  mode?: Mode;
  targetTable: string | null;
};

/**
 * Why sending this same file (same SHA-256) again may write its rows twice, or null: an earlier
 * append of it completed, or stopped with an unknown outcome.
 */
export function repeatWarning(earlier: EarlierImport[]): string | null {
  const target = (row: EarlierImport) => row.targetTable ?? "the ZIP's tables";
  const unknown = earlier.find((row) => row.status.state === "outcome_unknown");
  if (unknown !== undefined) {
    return `An earlier import of this same file into ${target(unknown)} stopped with an unknown outcome: some of its rows may already be there, and appending again would add them twice.`;
  }
  const appended = earlier.find((row) => row.status.state === "completed" && row.mode === "append");
  if (appended !== undefined) {
    return `This same file was already appended to ${target(appended)}: appending it again adds every row a second time.`;
  }
  return null;
}
