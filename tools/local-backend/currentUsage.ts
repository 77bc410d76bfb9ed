/**
 * `GET /api/v1/get_current_usage` (beta; Convex: crates/local_backend/src/usage_limits.rs) on the
 * local backend. Convex answers `{metrics: {<usage-limit metric>: {unit, usage: {current_day,
 * current_month}}}, seedStatus}` with UTC days and months. This backend honestly meters one of
 * those metrics: the function calls clients made that it ran (each query, mutation and action
 * execution; a query answered from the cache, scheduled functions and crons are not counted, so
 * the figure is a floor). It has no figures for database I/O,
 * egress, search or compute, so those metrics are left out rather than reported as zero, and it
 * keeps no history from before it started, which is what Convex's `seedStatus: "failed"` says
 * ("the backfill couldn't hydrate any history").
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Function calls per UTC day, since this process started. */
export class FunctionCallMeter {
  private readonly byDay = new Map<number, number>();

  record(at: number = Date.now()): void {
    const day = Math.floor(at / DAY_MS);
    this.byDay.set(day, (this.byDay.get(day) ?? 0) + 1);
  }

  usage(now: number): { current_day: number; current_month: number } {
    const today = Math.floor(now / DAY_MS);
    const date = new Date(now);
    const monthStart = Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS);
    let month = 0;
    for (const [day, calls] of this.byDay) if (day >= monthStart && day <= today) month += calls;
    return { current_day: this.byDay.get(today) ?? 0, current_month: month };
  }
}

/** Every function execution in this process (one deployment per process, as `npm start` runs it). */
export const functionCallMeter = new FunctionCallMeter();

export function currentUsageBody(meter: FunctionCallMeter, now: number) {
  return {
    metrics: { functionCalls: { unit: "calls", usage: meter.usage(now) } },
    seedStatus: "failed",
  };
}
