/** Every backend call the Overview makes, one hook each: it reads other domains only through these. */
import { useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

type RangeArgs = { deployment: string; from: number; to: number };

export const useOverviewTiles = (deployment: string, now: number) =>
  useQuery(api.metrics.metrics.overview, { deployment, now });
export const useFunctionStats = (args: RangeArgs) => useQuery(api.metrics.metrics.functionStats, args);
export const useErrorGroups = (args: RangeArgs) => useQuery(api.metrics.metrics.errorGroups, args);
export const useChecklistSummary = (now: number) => useQuery(api.runbooks.runbooks.summary, { now });
export const useUsageHeadline = (now: number) => useQuery(api.usage.usage.headline, { now });
export const useBackupRpo = () => useQuery(api.backups.backups.rpo);
export const useTileRules = (deployment: string) => useQuery(api.alerts.alerts.tiles, { deployment });
export const useFiringAlerts = () => useQuery(api.alerts.alerts.overview);
