/**
 * Recovery point objective: how much data a restore would lose right now, i.e. the age of the
 * newest verified backup's snapshot, against the target (seed 001: one hour). "At risk" from 80 % of
 * the target, like the console's other "approaching" states; "breached" at the target.
 */

export const DEFAULT_RPO_TARGET_MS = 60 * 60 * 1000;
export const RPO_AT_RISK_RATIO = 0.8;

export type RpoState = "ok" | "at_risk" | "breached" | "none";

export type RpoStatus = {
  state: RpoState;
  /** Age of the newest verified snapshot in ms; null when there is none. */
  ageMs: number | null;
  targetMs: number;
  /** Time left before the target is breached (0 once breached); null when there is no backup. */
  remainingMs: number | null;
  sentence: string;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** "under a minute", "12 minutes", "1 hour", "2 hours 5 minutes", "3 days": a duration in words. */
export function durationInWords(ms: number): string {
  if (ms < MINUTE) return "under a minute";
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), "minute");
  if (ms < 2 * DAY) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes === 0 ? plural(hours, "hour") : `${plural(hours, "hour")} ${plural(minutes, "minute")}`;
  }
  return plural(Math.floor(ms / DAY), "day");
}

export function rpoStatus(input: {
  newestVerifiedAt: number | null;
  now: number;
  targetMs?: number;
}): RpoStatus {
  const targetMs = input.targetMs ?? DEFAULT_RPO_TARGET_MS;
  const target = durationInWords(targetMs);
  if (input.newestVerifiedAt === null) {
    return {
      state: "none",
      ageMs: null,
      targetMs,
      remainingMs: null,
      sentence: `No verified backup yet: a restore has nothing to restore from (target: ${target}).`,
    };
  }
  const ageMs = Math.max(0, input.now - input.newestVerifiedAt);
  const age = durationInWords(ageMs);
  const remainingMs = Math.max(0, targetMs - ageMs);
  if (ageMs >= targetMs) {
    return {
      state: "breached",
      ageMs,
      targetMs,
      remainingMs,
      sentence: `RPO breached: the newest verified backup is ${age} old, past the ${target} target.`,
    };
  }
  if (ageMs >= targetMs * RPO_AT_RISK_RATIO) {
    return {
      state: "at_risk",
      ageMs,
      targetMs,
      remainingMs,
      sentence: `RPO at risk: the newest verified backup is ${age} old; the ${target} target is passed in ${durationInWords(remainingMs)}.`,
    };
  }
  return {
    state: "ok",
    ageMs,
    targetMs,
    remainingMs,
    sentence: `Within RPO: the newest verified backup is ${age} old (target: ${target}).`,
  };
}
