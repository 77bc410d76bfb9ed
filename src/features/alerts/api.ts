/** Every backend call the Alerts feature makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";
import type { Id } from "@convex/_generated/dataModel";
import { useStableQuery } from "@/lib/useStableQuery";

export const useAlertsOverview = () => useQuery(api.alerts.alerts.overview);
export const useAlertRules = () => useQuery(api.alerts.alerts.rules);
export const useSilences = (now: number) => useStableQuery(api.alerts.alerts.silences, { now });
export const useAlertChannels = () => useQuery(api.alerts.alerts.channels);
export const useDeliveryLog = () => useQuery(api.alerts.alerts.deliveryLog);
export const useAlertPolicy = () => useQuery(api.alerts.alerts.policy);
export const useAlertEvidence = (instanceId: Id<"alertInstances">) =>
  useQuery(api.alerts.alerts.evidence, { instanceId });

export const useAcknowledge = () => useMutation(api.alerts.alerts.acknowledge);
export const useAddSilence = () => useMutation(api.alerts.alerts.addSilence);
export const useExpireSilence = () => useMutation(api.alerts.alerts.expireSilence);
export const useUpdateRule = () => useMutation(api.alerts.alerts.updateRule);
export const useDeleteSearchRule = () => useMutation(api.alerts.searchRules.deleteSearchRule);
export const useSetPolicy = () => useMutation(api.alerts.alerts.setPolicy);
export const useAddChannel = () => useMutation(api.alerts.alerts.addChannel);
export const useUpdateChannel = () => useMutation(api.alerts.alerts.updateChannel);
export const useRemoveChannel = () => useMutation(api.alerts.alerts.removeChannel);
export const useSendTest = () => useMutation(api.alerts.alerts.sendTest);
