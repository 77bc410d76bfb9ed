import { rpoStatus } from "@convex/backups/shared";
import { planName } from "@convex/usage/shared";
import { formatDuration, formatPercent } from "@/lib/format";
import { usageStandingText } from "@/lib/usageFormat";
import { formatRelative } from "@/lib/time";
import type { Board, EvidenceMap, TemplateSummary } from "./types";

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
      const { worst, timeZone, plan } = evidence.usage;
      if (worst === null) return `No usage metered this month yet (${planName(plan)} plan)`;
      return `${planName(plan)} plan: ${usageStandingText(evidence.usage, timeZone)}`;
    }
  }
}

/** The templates a picker offers (recurring ones first) and the one the URL's slug names, else the first. */
export function pickTemplate(board: Board, slug: string | undefined) {
  const templates: TemplateSummary[] = [
    ...board.current.map((entry) => entry.template),
    ...board.onDemandTemplates,
  ];
  return { templates, selected: templates.find((template) => template.slug === slug) ?? templates[0] };
}
