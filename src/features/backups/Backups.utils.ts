import {
  BACKUP_STATE_LABELS,
  BACKUP_STEP_LABELS,
  type BackupState,
  type BackupStateName,
  type RestoreState,
} from "@convex/backups/shared";
import type { WorkProgressView } from "@/components/WorkProgress";
import { formatBytes } from "@/lib/format";

/** What a backup's state reads like in the list: its label, a progress figure and one line of detail. */
export function progressView(status: BackupState): WorkProgressView {
  const label = BACKUP_STATE_LABELS[status.state];
  switch (status.state) {
    case "requested":
      return {
        label,
        percent: null,
        detail: "Asking the deployment for a snapshot export…",
        running: true,
        tone: "running",
      };
    case "exporting":
      return {
        label,
        percent: null,
        detail: status.progressMessage ?? "Waiting for Convex to start the export…",
        running: true,
        tone: "running",
      };
    case "copying":
      return {
        label,
        percent:
          status.totalBytes !== null && status.totalBytes > 0
            ? Math.min(100, Math.round((status.bytesCopied / status.totalBytes) * 100))
            : null,
        detail:
          status.totalBytes !== null
            ? `${formatBytes(status.bytesCopied)} of ${formatBytes(status.totalBytes)} copied`
            : `${formatBytes(status.bytesCopied)} copied`,
        running: true,
        tone: "running",
      };
    case "verifying":
      return {
        label,
        percent: null,
        detail: "Reading every entry, line and file of the stored copy…",
        running: true,
        tone: "running",
      };
    case "verified":
      return {
        label,
        percent: null,
        detail: "Restorable: every entry, document and file checked.",
        running: false,
        tone: "ok",
      };
    case "unverifiable":
      return {
        label,
        percent: null,
        detail: `Not restorable: ${status.reason}`,
        running: false,
        tone: "problem",
      };
    case "failed":
      return {
        label,
        percent: null,
        detail: `${capitalise(BACKUP_STEP_LABELS[status.step])} failed: ${status.reason} ${status.remedy}`,
        running: false,
        tone: "problem",
      };
    case "canceled":
      return { label, percent: null, detail: null, running: false, tone: "neutral" };
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "tasks 5 · notes 2" for the app's tables; a component's tables carry its path. */
/**
 * A backup's tables and rows in a line. For a backup of the console's own deployment
 * (`appTables` given), only the app's tables are listed: the console's own are counted in one
 * phrase, as no restore or import touches them.
 */
export function tablesSummary(
  tables: { component: string; table: string; rows: number }[] | undefined,
  appTables?: readonly string[],
): string {
  if (tables === undefined || tables.length === 0) return "—";
  const shown = appTables === undefined ? tables : tables.filter((row) => appTables.includes(row.table));
  const hidden = tables.length - shown.length;
  const listed = shown.map(
    (row) =>
      `${row.component ? `${row.component}${row.table}` : row.table} ${row.rows.toLocaleString("en-US")}`,
  );
  if (hidden > 0) listed.push(`${hidden} console ${hidden === 1 ? "table" : "tables"} not shown`);
  return listed.join(" · ");
}

/** The one line that stands for the console's own tables in a restore of its own deployment. */
export function consoleTablesKeptSentence(count: number): string {
  return count === 1
    ? "1 console table in the backup is kept as it is and not shown."
    : `${count} console tables in the backup are kept as they are and not shown.`;
}

const RUNNING: BackupStateName[] = ["requested", "exporting", "copying", "verifying"];

export const canCancel = (state: BackupStateName) =>
  state === "requested" || state === "exporting" || state === "copying";
export const isRunning = (state: BackupStateName) => RUNNING.includes(state);
export const canVerifyAgain = (backup: { stored: boolean; status: BackupState }) =>
  backup.stored &&
  (backup.status.state === "verified" ||
    backup.status.state === "unverifiable" ||
    backup.status.state === "verifying" ||
    (backup.status.state === "failed" && backup.status.step === "verify"));
export const canDelete = (backup: { pinned: boolean; status: BackupState }) =>
  !backup.pinned && !isRunning(backup.status.state);

/** "HH:MM" checks before sending, with the same wording the server uses. */
export function scheduleTimeProblem(time: string): string | null {
  return /^([01]\d|2[0-3]):([0-5]\d)$/.test(time)
    ? null
    : "The time must be HH:MM on a 24-hour clock, e.g. 02:30.";
}

/**
 * What the page says, before anything starts, when the connected deployment is the console's own:
 * a restore there touches only the app's tables.
 */
export function ownDeploymentSentence(appTables: readonly string[]): string {
  return `This deployment is the console's own: a restore replaces only ${appTables.join(", ")}; users, sessions, audit, backups and settings are kept.`;
}

/** A restore's state as the page's progress banner reads it. */
export function restoreProgressView(status: RestoreState): WorkProgressView {
  switch (status.state) {
    case "backing_up":
      return {
        label: "Taking a pre-restore backup",
        percent: 10,
        detail: "Nothing is changed until it is verified.",
        running: true,
        tone: "running",
      };
    case "uploading":
      return {
        label: "Uploading the backup",
        percent:
          status.totalBytes !== null && status.totalBytes > 0
            ? 25 + Math.round((Math.min(status.bytesUploaded, status.totalBytes) / status.totalBytes) * 35)
            : 40,
        detail: `${formatBytes(status.bytesUploaded)} uploaded`,
        running: true,
        tone: "running",
      };
    case "waiting_for_confirmation":
      return {
        label: "Waiting for an admin to confirm",
        percent: 65,
        detail:
          "Nothing on the deployment has changed yet. Read Convex's summary below, then perform the import or cancel it.",
        running: true,
        tone: "running",
      };
    case "importing":
      return {
        label: "Importing",
        percent: 80,
        detail: status.progressMessage,
        running: true,
        tone: "running",
      };
    case "completed":
      return {
        label: "Restored",
        percent: null,
        detail: `${status.rowsWritten.toLocaleString("en-US")} documents written.`,
        running: false,
        tone: "ok",
      };
    case "failed":
      return {
        label: "Restore failed",
        percent: null,
        detail: `At the ${status.step}: ${status.reason}`,
        running: false,
        tone: "problem",
      };
    case "canceled":
      return {
        label: "Restore canceled",
        percent: null,
        detail: `${status.by} canceled the import after reading Convex's summary; nothing was changed.`,
        running: false,
        tone: "neutral",
      };
  }
}

type RowsNow = {
  counted: boolean;
  tables: { table: string; rows: number; more: boolean }[];
  limit: number;
};

/**
 * A table's rows on the deployment now, as the restore dialog shows them beside the backup's:
 * counted for the console's own app tables (bounded), "more than N" past the bound, "not restored"
 * for the console's own other tables, and "unknown" for another deployment.
 */
export function rowsNowText(rowsNow: RowsNow | undefined, table: string): string {
  if (rowsNow === undefined) return "…";
  if (!rowsNow.counted) return "unknown";
  const row = rowsNow.tables.find((candidate) => candidate.table === table);
  if (row === undefined) return "kept as it is";
  return row.more ? `more than ${rowsNow.limit.toLocaleString("en-US")}` : row.rows.toLocaleString("en-US");
}
