/**
 * `GET /api/v1/get_current_usage` (beta; deploy key): Convex's own meter of the deployment's usage
 * today and this month, per usage-limit metric. Only `seedStatus: "complete"` guarantees
 * whole-window numbers; self-hosted backends have no seed.
 */
export type CurrentUsage = {
  metrics: Record<string, { unit: string; currentDay: number; currentMonth: number }>;
  seedStatus: "pending" | "partial" | "complete" | "failed";
};

export type UsageParseResult = { ok: true; usage: CurrentUsage } | { ok: false; reason: string };

const SEED_STATUSES = ["pending", "partial", "complete", "failed"] as const;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function parseCurrentUsage(value: unknown): UsageParseResult {
  if (!isRecord(value) || !isRecord(value.metrics)) return { ok: false, reason: "the usage has no metrics" };
  const seedStatus = SEED_STATUSES.find((status) => status === value.seedStatus);
  if (!seedStatus)
    return { ok: false, reason: `the usage has an unknown seedStatus ${JSON.stringify(value.seedStatus)}` };
  const metrics: CurrentUsage["metrics"] = {};
  for (const [name, metric] of Object.entries(value.metrics)) {
    const usage = isRecord(metric) ? metric.usage : null;
    if (!isRecord(metric) || typeof metric.unit !== "string" || !isRecord(usage)) {
      return { ok: false, reason: `the metric ${name} is not {unit, usage}` };
    }
    const { current_day: currentDay, current_month: currentMonth } = usage;
    if (typeof currentDay !== "number" || typeof currentMonth !== "number") {
      return { ok: false, reason: `the metric ${name} has no numeric current_day and current_month` };
    }
    metrics[name] = { unit: metric.unit, currentDay, currentMonth };
  }
  return { ok: true, usage: { metrics, seedStatus } };
}
