/**
 * Evidence shown beside checklist items: what the console's own data says about the check, as facts
 * (state, deployment, measured value, threshold). The browser words them with the same formatters the
 * Overview uses; the states come from the metrics domain's one health rule.
 */
import { rpoStatus } from "../../backups/shared";
import {
  healthStates,
  streamState,
  type HealthThresholds,
  type HourHealth,
  type SignalState,
} from "../../metrics/shared";
import type { PlanId, UsageMetric, UsageState } from "../../usage/shared";

export type EvidenceSourceName =
  "error_rate" | "p95_latency" | "log_stream" | "backup_verification" | "usage_forecast";

export const EVIDENCE_LABELS: Record<EvidenceSourceName, string> = {
  error_rate: "Error rate",
  p95_latency: "p95 latency",
  log_stream: "Log stream status",
  backup_verification: "Backup verification",
  usage_forecast: "Usage forecast",
};

type HealthSourceName = Exclude<EvidenceSourceName, "usage_forecast">;

export type Evidence = {
  source: HealthSourceName;
  state: SignalState;
  /** The deployment the facts are about; null when no deployment ever streamed here. */
  deployment: string | null;
  /**
   * What was measured: the error rate as a ratio, p95 in ms, the log stream's last event time, or
   * when the newest verified backup was taken; null when there was nothing to measure.
   */
  value: number | null;
  /** What the value is compared against, in the same unit; null when there is no threshold. */
  threshold: number | null;
};

/** The team's month against its plan: the worst metric now and the next limit the forecast reaches. */
export type UsageFacts = {
  plan: PlanId;
  worst: { metric: UsageMetric; state: UsageState; share: number } | null;
  nextCrossing: { metric: UsageMetric; threshold: number; at: number } | null;
  timeZone: string;
};

export type UsageEvidence = {
  source: "usage_forecast";
  /** Alert once any metric is approaching or past its included amount; none before any usage. */
  state: SignalState;
  deployment: null;
  /** When the next 80 % or 100 % crossing is forecast; null when none is ahead this month. */
  value: number | null;
  /** The share of the included amount that crossing reaches (0.8 or 1). */
  threshold: number | null;
  usage: UsageFacts;
};

export type EvidenceBoard = Record<HealthSourceName, Evidence> & { usage_forecast: UsageEvidence };

type EvidenceInputs = {
  /** The watched deployment that streamed most recently, or null when none ever did. */
  deployment: { name: string; lastEventAt: number } | null;
  /** That deployment's last hour. */
  health: HourHealth;
  thresholds: HealthThresholds;
  /** The newest verified backup's snapshot time and the RPO target it is held against. */
  backup: { newestVerifiedAt: number | null; targetMs: number };
  usage: UsageFacts;
  now: number;
};

/** The Backups page's RPO rule: at risk is still within the target; no verified backup is no state. */
function backupEvidenceState(backup: EvidenceInputs["backup"], now: number): SignalState {
  const { state } = rpoStatus({ newestVerifiedAt: backup.newestVerifiedAt, now, targetMs: backup.targetMs });
  if (state === "none") return "none";
  return state === "breached" ? "alert" : "ok";
}

function usageEvidence(usage: UsageFacts): UsageEvidence {
  return {
    source: "usage_forecast",
    state: usage.worst === null ? "none" : usage.worst.state === "Default" ? "ok" : "alert",
    deployment: null,
    value: usage.nextCrossing?.at ?? null,
    threshold: usage.nextCrossing?.threshold ?? null,
    usage,
  };
}

export function evaluateEvidence(inputs: EvidenceInputs): EvidenceBoard {
  const { deployment, health, thresholds } = inputs;
  const name = deployment?.name ?? null;
  const states = healthStates(health, thresholds);
  const lastEventAt = deployment?.lastEventAt ?? null;
  return {
    error_rate: {
      source: "error_rate",
      state: name === null ? "none" : states.errorRate,
      deployment: name,
      value: name === null || states.errorRate === "none" ? null : health.errorRate,
      threshold: thresholds.errorRate,
    },
    p95_latency: {
      source: "p95_latency",
      state: name === null ? "none" : states.p95,
      deployment: name,
      value: name === null ? null : health.p95Ms,
      threshold: thresholds.p95Ms,
    },
    log_stream: {
      source: "log_stream",
      state: streamState(lastEventAt, inputs.now),
      deployment: name,
      value: lastEventAt,
      threshold: null,
    },
    backup_verification: {
      source: "backup_verification",
      state: backupEvidenceState(inputs.backup, inputs.now),
      deployment: null,
      value: inputs.backup.newestVerifiedAt,
      threshold: inputs.backup.targetMs,
    },
    usage_forecast: usageEvidence(inputs.usage),
  };
}
