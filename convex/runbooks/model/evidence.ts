/**
 * Evidence shown beside checklist items: what the console's own data says about the check. Pure;
 * convex/runbooks/board.ts gathers the inputs with bounded reads.
 */

export type EvidenceSourceName = "error_rate" | "p95_latency" | "log_stream" | "backup_verification";

export type EvidenceState = "ok" | "alert" | "none";

export type Evidence = {
  source: EvidenceSourceName;
  state: EvidenceState;
  /** One line, e.g. "0.4% errors in the last hour on prod-app (threshold 1%)". */
  text: string;
};

export const EVIDENCE_LABELS: Record<EvidenceSourceName, string> = {
  error_rate: "Error rate",
  p95_latency: "p95 latency",
  log_stream: "Log stream status",
  backup_verification: "Backup verification",
};

export type EvidenceInputs = {
  /** The watched deployment that streamed most recently, or null when none ever did. */
  deployment: string | null;
  lastEventAt: number | null;
  /** The last hour's totals for that deployment. */
  calls: number;
  errorRate: number;
  p95Ms: number | null;
  thresholds: { errorRate: number; p95Ms: number };
  now: number;
};

/** The log stream counts as stale when nothing arrived for this long (same as the Overview tile). */
export const STALE_STREAM_MS = 5 * 60_000;

function percent(value: number): string {
  const scaled = value * 100;
  return `${scaled >= 10 ? scaled.toFixed(0) : String(Number(scaled.toFixed(scaled >= 1 ? 1 : 2)))}%`;
}

function minutesAgo(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return "less than a minute ago";
  if (minutes < 120) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

export function evaluateEvidence(inputs: EvidenceInputs): Record<EvidenceSourceName, Evidence> {
  const noStream = "No metrics yet: connect a log stream in Settings";
  const { deployment, thresholds } = inputs;
  const errorRate: Evidence =
    deployment === null
      ? { source: "error_rate", state: "none", text: noStream }
      : inputs.calls === 0
        ? { source: "error_rate", state: "none", text: `No calls in the last hour on ${deployment}` }
        : {
            source: "error_rate",
            state: inputs.errorRate > thresholds.errorRate ? "alert" : "ok",
            text: `${percent(inputs.errorRate)} errors in the last hour on ${deployment} (threshold ${percent(thresholds.errorRate)})`,
          };
  const p95: Evidence =
    deployment === null
      ? { source: "p95_latency", state: "none", text: noStream }
      : inputs.p95Ms === null
        ? { source: "p95_latency", state: "none", text: `No calls in the last hour on ${deployment}` }
        : {
            source: "p95_latency",
            state: inputs.p95Ms > thresholds.p95Ms ? "alert" : "ok",
            text: `p95 ${Math.round(inputs.p95Ms)} ms in the last hour on ${deployment} (threshold ${thresholds.p95Ms} ms)`,
          };
  const logStream: Evidence =
    deployment === null || inputs.lastEventAt === null
      ? { source: "log_stream", state: "none", text: "No log stream connected yet" }
      : inputs.now - inputs.lastEventAt > STALE_STREAM_MS
        ? {
            source: "log_stream",
            state: "alert",
            text: `Stale: last event from ${deployment} ${minutesAgo(inputs.now - inputs.lastEventAt)}`,
          }
        : {
            source: "log_stream",
            state: "ok",
            text: `Receiving from ${deployment}: last event ${minutesAgo(inputs.now - inputs.lastEventAt)}`,
          };
  return {
    error_rate: errorRate,
    p95_latency: p95,
    log_stream: logStream,
    backup_verification: {
      source: "backup_verification",
      state: "none",
      text: "No backups yet: Backups arrive in a later issue",
    },
  };
}
