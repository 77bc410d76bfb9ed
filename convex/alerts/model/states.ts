/**
 * The per-instance alert state machine, Grafana's unified alerting with a recovery threshold:
 * Normal → Pending → Firing → Recovering → Normal, plus No data and Error. Pure: the evaluation
 * cron feeds it one observation per rule × deployment (× function) each minute.
 */

export type AlertState = "normal" | "pending" | "firing" | "recovering" | "nodata" | "error";

/** The unit a rule's value is measured in, which decides how a reason prints it. */
export type ValueUnit = "ms" | "ratio" | "minutes" | "hours" | "count" | "seconds";

export type RuleParams = {
  /** What the value is called in a reason: "p95", "error rate". */
  label: string;
  unit: ValueUnit;
  /** Above this the rule breaches. */
  threshold: number;
  /** Once firing, it resolves only below this (hysteresis); at most the threshold. */
  recoveryThreshold: number;
  /** How long the breach must last before it fires; 0 fires at once. */
  pendingMs: number;
  /** How long it keeps firing once the value is back under the recovery threshold. */
  keepFiringMs: number;
};

export type Observation =
  { kind: "value"; value: number } | { kind: "nodata"; why: string } | { kind: "error"; message: string };

export type InstanceState = {
  state: AlertState;
  /** When the current state began. */
  since: number;
  /** When this alert started firing (Alertmanager's startsAt); null while it has not. */
  firingSince: number | null;
  lastValue: number | null;
};

export type Transition = { from: AlertState; to: AlertState; at: number; reason: string };

export const INITIAL_STATE: InstanceState = { state: "normal", since: 0, firingSince: null, lastValue: null };

/** States a person is told about: entering one notifies "firing", leaving all of them notifies "resolved". */
export function isActive(state: AlertState): boolean {
  return state === "firing" || state === "recovering" || state === "nodata" || state === "error";
}

/** The notification a transition sends, if any: Recovering ↔ Firing and Pending ↔ Normal tell nobody. */
export function notificationOf(transition: Transition): "firing" | "resolved" | null {
  const wasActive = isActive(transition.from);
  const isNowActive = isActive(transition.to);
  if (!wasActive && isNowActive) return "firing";
  if (wasActive && !isNowActive) return "resolved";
  // No data or Error becoming Firing (or the reverse) is a new condition worth a message.
  if (
    wasActive &&
    isNowActive &&
    (transition.from === "nodata" ||
      transition.from === "error" ||
      transition.to === "nodata" ||
      transition.to === "error")
  ) {
    return "firing";
  }
  return null;
}

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export function formatValue(value: number, unit: ValueUnit): string {
  switch (unit) {
    case "ms":
      return `${numberFormat.format(Math.round(value))} ms`;
    case "ratio":
      return `${numberFormat.format(value * 100)} %`;
    case "minutes":
      return `${numberFormat.format(value)} min`;
    case "hours":
      return `${numberFormat.format(value)} h`;
    case "seconds":
      return `${numberFormat.format(value)} s`;
    case "count":
      return numberFormat.format(value);
  }
}

/** "5 min", "30 s", "4 h": how long a period lasted, in the largest whole unit. */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 60_000) return `${numberFormat.format(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

function breachReason(rule: RuleParams, value: number): string {
  return `${rule.label} ${formatValue(value, rule.unit)} > ${formatValue(rule.threshold, rule.unit)}`;
}

function clearReason(rule: RuleParams, value: number, bound: number): string {
  return `${rule.label} ${formatValue(value, rule.unit)} ≤ ${formatValue(bound, rule.unit)}`;
}

function to(
  prev: InstanceState,
  state: AlertState,
  at: number,
  value: number | null,
  firingSince: number | null,
): InstanceState {
  return { state, since: state === prev.state ? prev.since : at, firingSince, lastValue: value };
}

/**
 * One evaluation. Returns the next state and the transition (with its reason) when the state changed.
 * The breach test is "above the threshold"; clearing a firing alert needs "at or below the recovery
 * threshold", so a value wobbling between the two (980 → 1010 → 990 with 1,000 / 900) keeps firing.
 */
export function evaluate(
  rule: RuleParams,
  prev: InstanceState,
  observation: Observation,
  now: number,
): { next: InstanceState; transition: Transition | null } {
  const result = (next: InstanceState, reason: string) => ({
    next,
    transition: next.state === prev.state ? null : { from: prev.state, to: next.state, at: now, reason },
  });

  if (observation.kind === "nodata") {
    return result(to(prev, "nodata", now, null, prev.firingSince ?? now), `No data: ${observation.why}`);
  }
  if (observation.kind === "error") {
    return result(
      to(prev, "error", now, null, prev.firingSince ?? now),
      `Evaluation failed: ${observation.message}`,
    );
  }

  const value = observation.value;
  const breaching = value > rule.threshold;
  const cleared = value <= rule.recoveryThreshold;
  const fire = (reason: string) => result(to(prev, "firing", now, value, prev.firingSince ?? now), reason);
  const normal = (reason: string) => result(to(prev, "normal", now, value, null), reason);
  const pendingFor = (since: number) => now - since >= rule.pendingMs;

  switch (prev.state) {
    case "normal":
    case "nodata":
    case "error": {
      if (prev.state !== "normal" && !breaching) {
        return normal(`${clearReason(rule, value, rule.threshold)}: data is back`);
      }
      if (!breaching) return { next: { ...prev, lastValue: value }, transition: null };
      if (rule.pendingMs <= 0) return fire(breachReason(rule, value));
      return result(to(prev, "pending", now, value, null), breachReason(rule, value));
    }
    case "pending": {
      if (!breaching)
        return normal(`${clearReason(rule, value, rule.threshold)} before the pending period ended`);
      if (pendingFor(prev.since)) {
        return fire(`${breachReason(rule, value)} for ${formatDuration(now - prev.since)}`);
      }
      return { next: { ...prev, lastValue: value }, transition: null };
    }
    case "firing": {
      if (!cleared) return { next: { ...prev, lastValue: value }, transition: null };
      if (rule.keepFiringMs <= 0) return normal(clearReason(rule, value, rule.recoveryThreshold));
      return result(
        to(prev, "recovering", now, value, prev.firingSince),
        `${clearReason(rule, value, rule.recoveryThreshold)}; keeps firing for ${formatDuration(rule.keepFiringMs)}`,
      );
    }
    case "recovering": {
      if (!cleared) return fire(`${breachReason(rule, value)} again while recovering`);
      if (now - prev.since >= rule.keepFiringMs) {
        return normal(
          `${clearReason(rule, value, rule.recoveryThreshold)} for ${formatDuration(now - prev.since)}`,
        );
      }
      return { next: { ...prev, lastValue: value }, transition: null };
    }
  }
}
