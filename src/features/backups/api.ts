/** Every backend call the Backups page makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

export const useBackups = () => useQuery(api.backups.backups.list);
export const useRpo = () => useQuery(api.backups.backups.rpo);
export const useBackupSettings = () => useQuery(api.backups.backups.settings);
export const useConnectedDeployment = () => useQuery(api.deployment.connection.status);
export const useBackupNow = () => useMutation(api.backups.backups.backupNow);
export const useCancelBackup = () => useMutation(api.backups.backups.cancel);
export const useVerifyBackup = () => useMutation(api.backups.backups.verify);
export const useDownloadLink = () => useMutation(api.backups.backups.downloadLink);
export const useSetPinned = () => useMutation(api.backups.backups.setPinned);
export const useDeleteBackup = () => useMutation(api.backups.backups.remove);
export const useSetSchedule = () => useMutation(api.backups.backups.setSchedule);
export const useSetPolicy = () => useMutation(api.backups.backups.setPolicy);
export const useRestores = () => useQuery(api.backups.restore.list);
export const useRestore = () => useMutation(api.backups.restore.restore);
export const usePerformImport = () => useMutation(api.backups.restore.performImport);
export const useCancelImport = () => useMutation(api.backups.restore.cancelImport);
export const useRowsNow = () => useQuery(api.backups.restore.rowsNow);
