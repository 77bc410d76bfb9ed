/**
 * The requests behind an alert: which calls explain a rule's signal, and the window that fired it.
 * Pure; `alerts.evidence` reads the calls.
 */
import { WINDOW_MINUTES, type RuleSignal } from "./rules";

/** Calls an alert lists at most; the page says when there were more. */
export const EVIDENCE_LIMIT = 20;

/**
 * Failing calls explain an error or conflict signal, slow calls a latency one; the other signals
 * (scheduler lag, a silent stream, usage, backups) have no request behind them.
 */
export function evidenceKind(signal: RuleSignal): "failures" | "slow" | null {
  switch (signal) {
    case "error_rate":
    case "function_error_rate":
    case "occ_share":
      return "failures";
    case "p95_ms":
    case "function_p95_ms":
    case "slow_calls":
      return "slow";
    default:
      return null;
  }
}

/**
 * The window an alert was judged over when it fired (or went pending): the evaluation's last
 * WINDOW_MINUTES up to that moment, its end included.
 */
export function firingWindow(alert: { since: number; firingSince: number | null }): {
  from: number;
  to: number;
} {
  const at = alert.firingSince ?? alert.since;
  return { from: at - WINDOW_MINUTES * 60_000, to: at + 1 };
}
