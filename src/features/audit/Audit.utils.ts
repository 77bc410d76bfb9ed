/** Pure view logic of the Audit page: actions and details in words, query filters, CSV rows. */
import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import { toCsv } from "@/lib/csv";
import { formatIso } from "@/lib/time";
import type { AuditTrailArgs } from "./api";
import type { AuditFilters } from "./search";

export type AuditRow = FunctionReturnType<typeof api.audit.audit.list>["page"][number];

/** The trail query's filters: only those chosen, so an unset filter is not sent as undefined. */
export function auditTrailArgs(filters: AuditFilters): AuditTrailArgs {
  return {
    ...(filters.actor !== undefined && { actor: filters.actor }),
    ...(filters.action !== undefined && { action: filters.action }),
  };
}

/** One line per entry, details as JSON. */
export function auditCsv(rows: AuditRow[]): string {
  return toCsv(
    ["time", "actor", "action", "target", "details"],
    rows.map((row) => [
      formatIso(row.at),
      row.actorEmail,
      row.action,
      row.target,
      row.details ? JSON.stringify(row.details) : "",
    ]),
  );
}

const WORDS: Record<string, string> = { logstream: "log stream" };

/** Actions whose names, read word by word, would be internal words ("User bootstrap admin"). */
const PHRASES: Record<string, string> = {
  "user.bootstrap_admin": "First admin signed up",
  "user.lock_cleared": "Sign-in lock cleared",
  "usage.convex_figures_requested": "Convex's usage figures read",
  "runbook.templates_seeded": "Runbook templates set up",
  "backup.download_link": "Backup download link made",
  "backup.verify_requested": "Backup verification requested",
  "backup.retention_swept": "Old backups removed by retention",
  "restore.awaiting_confirmation": "Restore waiting for confirmation",
  "deployment.connection_set": "Deployment connected",
};

/** "user.role_changed" → "User role changed". */
export function actionLabel(action: string): string {
  const phrase = PHRASES[action];
  if (phrase !== undefined) return phrase;
  const words = action
    .split(/[._]/)
    .map((word) => WORDS[word] ?? word)
    .join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A Convex document id: 32 characters of lowercase base32. Meaningless to a reader, so not shown. */
const DOCUMENT_ID = /^[a-z0-9]{31,37}$/;

function displayValue(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** "sessionsEnded" → "sessions ended". */
function keyLabel(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** Details as [label, value] pairs, without empty values and raw document ids. */
export function detailEntries(
  details: Record<string, string | number | boolean | null> | undefined,
): Array<[string, string]> {
  return Object.entries(details ?? {})
    .filter((entry): entry is [string, string | number | boolean] => {
      const value = entry[1];
      return value !== null && !(typeof value === "string" && DOCUMENT_ID.test(value));
    })
    .map(([key, value]) => [keyLabel(key), displayValue(value)]);
}
