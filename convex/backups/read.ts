/**
 * What other domains may use of backups: the backup settings and newest verified backup (runbook
 * evidence), the pre-import backup (imports), and the restore and watchdog rules imports share.
 */
export { failuresSince, loadBackupSettings, newestVerifiedBackup, restoreRunningSentence } from "./store";
export { issueDownloadLink } from "./download";
export { hashDownloadToken, isWellFormedDownloadToken, newDownloadToken } from "./model/downloadToken";
export { preImportBackupState, startPreImportBackup } from "./preImport";
export { pollDelayMs } from "./flow";
export {
  APP_TABLES,
  appTablesOf,
  filteredSnapshotEntries,
  skippedTablesSentence,
  uploadParts,
} from "./model/restorePlan";
export { STALLED_STEP_MS, stalledReason, WATCHDOG_BATCH } from "./model/states";
