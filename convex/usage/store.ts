/** Usage writes shared by the ingest hook and the retention sweep. */
import type { MutationCtx } from "../_generated/server";
import { deleteRange } from "../lib/sweep";
import { upsertByIndex } from "../lib/upsert";
import { dateKey, localDate, periodOf, startOfLocalDay } from "../lib/periods";
import type { RawLogEvent } from "../lib/logEvent";
import { getTimeZone } from "../settings/read";
import { addFlow, latestReport, usageDeltas, type FlowTotals } from "./model/metering";

/**
 * Meters one accepted log-stream batch into the daily usage rollups: each touched (deployment,
 * day) and (deployment, day, function) row is read and written once, however many events the
 * batch holds. Days are local dates in the team's time zone, as the month the page shows is.
 */
export async function recordUsage(ctx: MutationCtx, events: RawLogEvent[]): Promise<void> {
  if (events.length === 0) return;
  const timeZone = await getTimeZone(ctx);
  const dayStarts = new Map<string, number>();
  const dayOf = (ts: number) => {
    const date = localDate(ts, timeZone);
    const key = dateKey(date);
    if (!dayStarts.has(key)) dayStarts.set(key, startOfLocalDay(date, timeZone));
    return key;
  };
  const { deploymentDays, functionDays } = usageDeltas(events, dayOf);

  for (const delta of deploymentDays) {
    await upsertByIndex(
      ctx,
      "usageDaily",
      (q) =>
        q.withIndex("by_deployment_day", (r) => r.eq("deployment", delta.deployment).eq("day", delta.day)),
      {
        insert: {
          deployment: delta.deployment,
          day: delta.day,
          dayStart: dayStarts.get(delta.day)!,
          ...delta.flow,
          ...(delta.firstFlowAt === null ? {} : { firstFlowAt: delta.firstFlowAt }),
          storage: delta.storage,
        },
        patch: (existing) => {
          const {
            _id,
            _creationTime,
            deployment: _d,
            day: _day,
            dayStart: _s,
            storage,
            firstFlowAt,
            ...flow
          } = existing;
          const earliest = [firstFlowAt, delta.firstFlowAt ?? undefined].filter((at) => at !== undefined);
          return {
            ...addFlow(flow, delta.flow),
            ...(earliest.length === 0 ? {} : { firstFlowAt: Math.min(...earliest) }),
            storage: latestReport(storage, delta.storage),
          };
        },
      },
    );
  }

  // A batch rarely spans two days; its function deltas are summed per month before one write each.
  const functionMonths = new Map<
    string,
    { deployment: string; month: string; monthStart: number; functionPath: string; flow: FlowTotals }
  >();
  for (const delta of functionDays) {
    const month = delta.day.slice(0, 7);
    const key = JSON.stringify([delta.deployment, month, delta.functionPath]);
    const entry = functionMonths.get(key);
    functionMonths.set(key, {
      deployment: delta.deployment,
      month,
      monthStart: entry?.monthStart ?? periodOf("monthly", dayStarts.get(delta.day)!, timeZone).start,
      functionPath: delta.functionPath,
      flow: entry === undefined ? delta.flow : addFlow(entry.flow, delta.flow),
    });
  }
  for (const delta of functionMonths.values()) {
    await upsertByIndex(
      ctx,
      "usageFunctionMonthly",
      (q) =>
        q.withIndex("by_key", (r) =>
          r
            .eq("deployment", delta.deployment)
            .eq("month", delta.month)
            .eq("functionPath", delta.functionPath),
        ),
      {
        insert: {
          deployment: delta.deployment,
          month: delta.month,
          monthStart: delta.monthStart,
          functionPath: delta.functionPath,
          ...delta.flow,
        },
        patch: (existing) => {
          const {
            _id,
            _creationTime,
            deployment: _d,
            month: _month,
            monthStart: _s,
            functionPath: _f,
            ...flow
          } = existing;
          return addFlow(flow, delta.flow);
        },
      },
    );
  }
}

/** Deletes up to `limit` usage rollup rows of days that started before `cutoff`; returns how many. */
export async function deleteUsageDaysOlderThan(
  ctx: MutationCtx,
  cutoff: number,
  limit: number,
): Promise<number> {
  const days = await deleteRange(
    ctx,
    "usageDaily",
    (q) => q.withIndex("by_dayStart", (r) => r.lt("dayStart", cutoff)),
    limit,
  );
  // A month's function rows go once the whole month is older than the cutoff.
  const months = await deleteRange(
    ctx,
    "usageFunctionMonthly",
    (q) => q.withIndex("by_monthStart", (r) => r.lt("monthStart", cutoff - 31 * 24 * 3_600_000)),
    limit,
  );
  return days + months;
}
