/**
 * Silences that expire: equality matchers on rule, deployment, function and severity (an absent
 * matcher matches anything), a start and an end. Pure.
 */

export type AlertLabels = { rule: string; deployment: string; function?: string; severity: string };

export type SilenceMatchers = { rule?: string; deployment?: string; function?: string; severity?: string };

export type Silence = { matchers: SilenceMatchers; startsAt: number; endsAt: number; createdBy: string };

export type SilenceStatus = "pending" | "active" | "expired";

export function silenceStatus(silence: Pick<Silence, "startsAt" | "endsAt">, now: number): SilenceStatus {
  if (now < silence.startsAt) return "pending";
  return now < silence.endsAt ? "active" : "expired";
}

export function matches(matchers: SilenceMatchers, labels: AlertLabels): boolean {
  return (
    (matchers.rule === undefined || matchers.rule === labels.rule) &&
    (matchers.deployment === undefined || matchers.deployment === labels.deployment) &&
    (matchers.function === undefined || matchers.function === labels.function) &&
    (matchers.severity === undefined || matchers.severity === labels.severity)
  );
}

/** The active silence covering these labels that lasts longest, or null. */
export function activeSilence<S extends Silence>(
  silences: readonly S[],
  labels: AlertLabels,
  now: number,
): S | null {
  let best: S | null = null;
  for (const silence of silences) {
    if (silenceStatus(silence, now) !== "active" || !matches(silence.matchers, labels)) continue;
    if (best === null || silence.endsAt > best.endsAt) best = silence;
  }
  return best;
}

/** A silence without any matcher would hide every alert: refused with a sentence. */
export function silenceProblem(silence: Pick<Silence, "matchers" | "startsAt" | "endsAt">): string | null {
  const { matchers } = silence;
  if (Object.values(matchers).every((value) => value === undefined || value === "")) {
    return "A silence needs at least one matcher (rule, deployment, function or severity); it would hide every alert.";
  }
  if (!(silence.endsAt > silence.startsAt)) return "A silence must end after it starts.";
  return null;
}

/** What a notification says once its silence ended while the alert still fires. */
export function silenceEndedNote(silence: Pick<Silence, "createdBy" | "endsAt">): string {
  return `Was silenced by ${silence.createdBy} until ${new Date(silence.endsAt).toISOString()}; still firing.`;
}
