/** Every backend call the metrics pages make, one hook each. */
import { useMutation, useQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { api } from "@convex/_generated/api";

/** The deployment and time window a dashboard query reads; extra fields (e.g. the range key) are ignored. */
type MetricsWindow = FunctionArgs<typeof api.metrics.metrics.functionStats>;

const windowArgs = ({ deployment, from, to }: MetricsWindow): MetricsWindow => ({ deployment, from, to });

export const useDeployments = () => useQuery(api.metrics.metrics.deployments);
export const useMetricsOverview = (deployment: string, now: number) =>
  useQuery(api.metrics.metrics.overview, { deployment, now });
export const useFunctionStats = (window: MetricsWindow) =>
  useQuery(api.metrics.metrics.functionStats, windowArgs(window));
export const useSlowCalls = (window: MetricsWindow) =>
  useQuery(api.metrics.metrics.slowCalls, windowArgs(window));
export const useErrorSeries = (window: MetricsWindow) =>
  useQuery(api.metrics.metrics.errorSeries, windowArgs(window));
export const useDeployMarkers = (window: MetricsWindow) =>
  useQuery(api.metrics.deploys.markers, windowArgs(window));
/** Error groups in the window, optionally only those of one error code. */
export const useErrorGroups = (window: MetricsWindow, code?: string) =>
  useQuery(api.metrics.metrics.errorGroups, { ...windowArgs(window), ...(code !== undefined && { code }) });
export const useErrorGroupCalls = (window: MetricsWindow, group: string) =>
  useQuery(api.metrics.metrics.errorGroupCalls, { ...windowArgs(window), group });
export const useRequestTimeline = (deployment: string, requestId: string) =>
  useQuery(api.metrics.metrics.requestTimeline, { deployment, requestId });
/** The console settings, for the slow-call thresholds the Slow queries page explains. */
export const useConsoleSettings = () => useQuery(api.settings.settings.get);
export const useLogStreamStatus = () => useQuery(api.metrics.webhookSecrets.status);
export const useSetLogStreamSecret = () => useMutation(api.metrics.webhookSecrets.setSecret);
