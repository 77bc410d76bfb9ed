/**
 * Convex's plans as data: the included amounts per team per month, dated, so a newer price list is
 * a new entry rather than an edit nobody can trace. Free and Starter include the same amounts (Free
 * stops at them, Starter bills past them). An admin may instead set custom limits.
 */
import type { FlowTotals, StorageReport } from "./metering";
import { BYTES_PER_GB } from "./metering";

export const USAGE_METRICS = [
  "functionCalls",
  "actionCompute",
  "databaseIo",
  "dataEgress",
  "searchQueries",
  "databaseStorage",
  "fileStorage",
  "searchStorage",
] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/** Storage metrics are levels (the latest report); the others are flows summed over the month. */
export const STORAGE_METRICS: readonly UsageMetric[] = ["databaseStorage", "fileStorage", "searchStorage"];
export function isStorageMetric(metric: UsageMetric): boolean {
  return STORAGE_METRICS.includes(metric);
}

export const METRIC_LABELS: Record<UsageMetric, string> = {
  functionCalls: "Function calls",
  actionCompute: "Action compute",
  databaseIo: "Database I/O",
  dataEgress: "Data egress",
  searchQueries: "Search queries",
  databaseStorage: "Database storage",
  fileStorage: "File storage",
  searchStorage: "Search storage",
};

/** Units as Convex's usage limits name them. */
export const METRIC_UNITS: Record<UsageMetric, string> = {
  functionCalls: "calls",
  actionCompute: "GB-hours",
  databaseIo: "GB",
  dataEgress: "GB",
  searchQueries: "query-GB",
  databaseStorage: "GB",
  fileStorage: "GB",
  searchStorage: "GB",
};

export type PlanLimits = Record<UsageMetric, number>;

export const PLAN_IDS = ["free", "starter", "professional", "custom"] as const;
export type PlanId = (typeof PLAN_IDS)[number];
export type CatalogPlanId = Exclude<PlanId, "custom">;

/** The day the amounts were read from Convex's limits page (docs.convex.dev/production/state/limits). */
export const PLAN_CATALOG_DATE = "2026-08-12";

const FREE_AND_STARTER: PlanLimits = {
  functionCalls: 1_000_000,
  actionCompute: 20,
  databaseIo: 1,
  dataEgress: 1,
  searchQueries: 3_000,
  databaseStorage: 0.5,
  fileStorage: 1,
  searchStorage: 0.5,
};

export const PLAN_CATALOG: Record<CatalogPlanId, { name: string; limits: PlanLimits; note: string }> = {
  free: {
    name: "Free",
    limits: FREE_AND_STARTER,
    note: "Hard caps: over them, deployments may be disabled.",
  },
  starter: { name: "Starter", limits: FREE_AND_STARTER, note: "Included amounts, then billed per use." },
  professional: {
    name: "Professional",
    limits: {
      functionCalls: 25_000_000,
      actionCompute: 250,
      databaseIo: 50,
      dataEgress: 50,
      searchQueries: 50_000,
      databaseStorage: 50,
      fileStorage: 100,
      searchStorage: 1,
    },
    note: "Included amounts, then billed per use.",
  },
};

/** The plan a console uses until an admin picks one: the smallest, so warnings come early rather than late. */
export const DEFAULT_PLAN: CatalogPlanId = "free";

export function planName(plan: PlanId): string {
  return plan === "custom" ? "Custom limits" : PLAN_CATALOG[plan].name;
}

export function limitsOf(plan: PlanId, customLimits: PlanLimits | null): PlanLimits {
  if (plan === "custom") return customLimits ?? PLAN_CATALOG[DEFAULT_PLAN].limits;
  return PLAN_CATALOG[plan].limits;
}

/** Largest custom limit accepted: far past any plan, small enough that sums stay exact. */
const MAX_CUSTOM_LIMIT = 1e12;

/** Why custom limits cannot be used, or null when every metric has a positive finite amount. */
export function customLimitsProblem(limits: Record<string, number>): string | null {
  for (const metric of USAGE_METRICS) {
    const value = limits[metric];
    if (value === undefined) return `Set a limit for ${METRIC_LABELS[metric].toLowerCase()}.`;
    if (!Number.isFinite(value) || value <= 0 || value > MAX_CUSTOM_LIMIT) {
      return `The limit for ${METRIC_LABELS[metric].toLowerCase()} must be a positive number up to ${MAX_CUSTOM_LIMIT.toExponential()}.`;
    }
  }
  const unknown = Object.keys(limits).find((key) => !(USAGE_METRICS as readonly string[]).includes(key));
  return unknown === undefined ? null : `"${unknown}" is not a usage metric.`;
}

/** A flow metric's amount in its plan unit. */
export function flowValue(metric: UsageMetric, flow: FlowTotals): number {
  switch (metric) {
    case "functionCalls":
      return flow.calls;
    case "actionCompute":
      return flow.computeGbHours;
    case "databaseIo":
      return (flow.ioReadBytes + flow.ioWriteBytes) / BYTES_PER_GB;
    case "dataEgress":
      return flow.egressBytes / BYTES_PER_GB;
    case "searchQueries":
      return flow.searchQueryBytes / BYTES_PER_GB;
    default:
      return 0;
  }
}

/** A storage metric's level in GB, as Convex groups the kinds: tables+indexes, files+backups, vector+text. */
export function storageValue(metric: UsageMetric, report: StorageReport): number {
  switch (metric) {
    case "databaseStorage":
      return (report.documentBytes + report.indexBytes) / BYTES_PER_GB;
    case "fileStorage":
      return (report.fileBytes + report.backupBytes) / BYTES_PER_GB;
    case "searchStorage":
      return (report.vectorBytes + report.textBytes) / BYTES_PER_GB;
    default:
      return 0;
  }
}
