import { rpoStatus } from "@convex/backups/shared";
import { METRIC_LABELS, planName } from "@convex/usage/shared";
import { formatDuration, formatPercent } from "@/lib/format";
import { nextCrossingText, STATE_TEXT } from "@/lib/usageFormat";
import { formatRelative } from "@/lib/time";
import type { EvidenceMap } from "./types";

type Evidence = EvidenceMap[keyof EvidenceMap];

const NO_STREAM = "No metrics yet: connect a log stream in Settings";

/** Evidence facts in one line, with the formatters the Overview tiles use. */
export function evidenceSentence(evidence: Evidence, now: number): string {
  const { deployment, value, threshold } = evidence;
  switch (evidence.source) {
    case "error_rate":
      if (deployment === null) return NO_STREAM;
      if (value === null) return `No calls in the last hour on ${deployment}`;
      return `${formatPercent(value)} errors in the last hour on ${deployment} (threshold ${formatPercent(threshold)})`;
    case "p95_latency":
      if (deployment === null) return NO_STREAM;
      if (value === null) return `No calls in the last hour on ${deployment}`;
      return `p95 ${formatDuration(value)} in the last hour on ${deployment} (threshold ${formatDuration(threshold)})`;
    case "log_stream":
      if (deployment === null || value === null) return "No log stream connected yet";
      return evidence.state === "alert"
        ? `Stale: last event from ${deployment} ${formatRelative(value, now)}`
        : `Receiving from ${deployment}: last event ${formatRelative(value, now)}`;
    case "backup_verification":
      return rpoStatus({ newestVerifiedAt: value, now, targetMs: threshold ?? undefined }).sentence;
    case "usage_forecast": {
      const { worst, nextCrossing, timeZone, plan } = evidence.usage;
      const ahead = nextCrossingText(nextCrossing, timeZone);
      if (worst === null) return `No usage metered this month yet (${planName(plan)} plan)`;
      return `${METRIC_LABELS[worst.metric]} at ${formatPercent(worst.share)} of the ${planName(plan)} plan (${STATE_TEXT[worst.state].toLowerCase()}); ${ahead.charAt(0).toLowerCase()}${ahead.slice(1)}`;
    }
  }
}
