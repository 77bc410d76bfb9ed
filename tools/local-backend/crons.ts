/**
 * Runs the cron jobs of `convex/crons.ts` (a `cronJobs()` object) in real time.
 * convex-test does not run crons, so the schedule computation lives here.
 */

export type CronSchedule =
  | { type: "interval"; seconds?: number; minutes?: number; hours?: number }
  | { type: "hourly"; minuteUTC?: number }
  | { type: "daily"; hourUTC: number; minuteUTC?: number }
  | { type: "weekly"; dayOfWeek: number; hourUTC: number; minuteUTC?: number }
  | { type: "monthly"; day: number; hourUTC: number; minuteUTC?: number }
  | { type: "cron"; cron: string };

export interface CronSpec {
  name: string;
  args: unknown[];
  schedule: CronSchedule;
}

function parseField(field: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [rangePart, stepPart] = part.split("/");
    const step = stepPart === undefined ? 1 : Number(stepPart);
    let lo = min;
    let hi = max;
    if (rangePart !== "*" && rangePart !== undefined) {
      const [a, b] = rangePart.split("-");
      lo = Number(a);
      hi = b === undefined ? (stepPart === undefined ? lo : max) : Number(b);
    }
    if (![lo, hi, step].every(Number.isInteger) || step <= 0 || lo < min || hi > max) {
      throw new Error(`Invalid cron field "${field}"`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Next time strictly after `from` matching a 5-field UTC cron expression. */
export function nextCronTime(expr: string, from: number): number {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Cron expression must have 5 fields: "${expr}"`);
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = parseField(mi, 0, 59);
  const hours = parseField(h, 0, 23);
  const days = parseField(dom, 1, 31);
  const months = parseField(mon, 1, 12);
  const weekdays = parseField(dow.replace(/7/g, "0"), 0, 6);
  const domStar = dom === "*";
  const dowStar = dow === "*";
  const d = new Date(Math.floor(from / 60_000) * 60_000 + 60_000);
  const limit = from + 5 * 366 * 24 * 3600 * 1000;
  while (d.getTime() < limit) {
    if (!months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    const dayOk =
      domStar && dowStar
        ? true
        : domStar
          ? weekdays.has(d.getUTCDay())
          : dowStar
            ? days.has(d.getUTCDate())
            : days.has(d.getUTCDate()) || weekdays.has(d.getUTCDay());
    if (!dayOk) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!minutes.has(d.getUTCMinutes())) {
      d.setTime(d.getTime() + 60_000);
      continue;
    }
    return d.getTime();
  }
  throw new Error(`Cron expression never matches: "${expr}"`);
}

export function nextRun(schedule: CronSchedule, from: number): number {
  switch (schedule.type) {
    case "interval": {
      const ms =
        ((schedule.seconds ?? 0) + (schedule.minutes ?? 0) * 60 + (schedule.hours ?? 0) * 3600) * 1000;
      return from + Math.max(ms, 1000);
    }
    case "hourly":
      return nextCronTime(`${schedule.minuteUTC ?? 0} * * * *`, from);
    case "daily":
      return nextCronTime(`${schedule.minuteUTC ?? 0} ${schedule.hourUTC} * * *`, from);
    case "weekly":
      return nextCronTime(`${schedule.minuteUTC ?? 0} ${schedule.hourUTC} * * ${schedule.dayOfWeek}`, from);
    case "monthly":
      return nextCronTime(`${schedule.minuteUTC ?? 0} ${schedule.hourUTC} ${schedule.day} * *`, from);
    case "cron":
      return nextCronTime(schedule.cron, from);
  }
}

const MAX_TIMER = 2 ** 31 - 1;

export class CronRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly specs: Record<string, CronSpec>,
    private readonly run: (spec: CronSpec, identifier: string) => Promise<void>,
  ) {}

  start() {
    for (const [identifier, spec] of Object.entries(this.specs)) this.arm(identifier, spec, Date.now());
  }

  private arm(identifier: string, spec: CronSpec, from: number) {
    if (this.stopped) return;
    const at = nextRun(spec.schedule, from);
    const delay = at - Date.now();
    const timer = setTimeout(
      () => {
        if (delay > MAX_TIMER) {
          this.arm(identifier, spec, from);
          return;
        }
        void this.run(spec, identifier)
          .catch((error: unknown) => console.error(`[local-backend] cron "${identifier}" failed`, error))
          .finally(() => this.arm(identifier, spec, Math.max(at, Date.now() - 1)));
      },
      Math.min(Math.max(0, delay), MAX_TIMER),
    );
    timer.unref?.();
    this.timers.set(identifier, timer);
  }

  stop() {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
