/**
 * What the browser needs from the backups domain: state labels and the RPO rule, so the page and
 * the Overview say exactly what the server computes.
 */
import type { BackupStateName, BackupStep } from "./model/states";

export {
  DEFAULT_RPO_TARGET_MS,
  durationInWords,
  rpoStatus,
  type RpoState,
  type RpoStatus,
} from "./model/rpo";
export type { BackupState, BackupStateName, BackupStep } from "./model/states";
export type { RestoreState } from "./model/restoreStates";
export { APP_TABLES, STORAGE_TABLE } from "./model/restorePlan";
export {
  DEFAULT_RETENTION,
  MAX_RETENTION_COUNT,
  retentionPolicyProblems,
  type RetentionPolicy,
} from "./model/retention";

export const BACKUP_STATE_LABELS: Record<BackupStateName, string> = {
  requested: "Requested",
  exporting: "Exporting",
  copying: "Copying to the console",
  verifying: "Verifying",
  verified: "Verified",
  unverifiable: "Unverifiable",
  failed: "Failed",
  canceled: "Canceled",
};

export const BACKUP_STEP_LABELS: Record<BackupStep, string> = {
  export: "the export on the deployment",
  copy: "the copy into the console",
  verify: "the verification",
};

export const RPO_STATE_LABELS = {
  ok: "Within RPO",
  at_risk: "At risk",
  breached: "Breached",
  none: "No backup",
} as const;

/** How an RPO state is coloured wherever it is shown: at risk warns, breached and none alert. */
export const RPO_TONES = {
  ok: "ok",
  at_risk: "warning",
  breached: "alert",
  none: "alert",
} as const;

export const BACKUP_KIND_LABELS = {
  manual: "Manual",
  scheduled: "Scheduled",
  "pre-restore": "Pre-restore",
} as const;

/**
 * The name a backup goes by wherever a person must type it to confirm: the deployment and the UTC
 * second it was requested, e.g. `happy-otter-123-2026-11-24-093015`. To the second, because a
 * backup and the pre-restore backup of a restore started right after it fall in one minute.
 */
export function backupName(backup: { deployment: string; requestedAt: number }): string {
  const iso = new Date(backup.requestedAt).toISOString();
  return `${backup.deployment}-${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export { WEEKDAYS, type BackupSchedule } from "./model/schedule";
