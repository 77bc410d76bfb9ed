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
