import { Link } from "@tanstack/react-router";
import { useId } from "react";
import type { Id } from "@convex/_generated/dataModel";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useNow } from "@/lib/clock";
import { useAlertEvidence } from "../api";
import { chartRangeFor, evidencePage } from "../Alerts.utils";

/**
 * The requests behind an alert: its failing or slow calls in the window that fired it, newest
 * first, each opening its request timeline on the page that charts them.
 */
export function AlertEvidence({
  instanceId,
  deployment,
}: {
  instanceId: Id<"alertInstances">;
  deployment: string;
}) {
  const evidence = useAlertEvidence(instanceId);
  const now = useNow();
  const headingId = useId();
  if (evidence === undefined)
    return <SkeletonRows rows={2} label="Loading the requests behind this alert…" />;
  if (evidence === null || evidence.kind === null) return null;
  const what = evidence.kind === "failures" ? "failing" : "slow";
  if (evidence.calls.length === 0) {
    return (
      <p className="muted">
        No {what} request is left from the window that fired it (raw calls expire before their rollups).
      </p>
    );
  }
  const { to, view } = evidencePage(evidence.kind);
  const range = chartRangeFor(evidence.from, now);
  return (
    <div className="alert-evidence">
      <h4 id={headingId}>
        {evidence.kind === "failures" ? "Failing" : "Slow"} requests behind it,{" "}
        <Timestamp ms={evidence.from} /> to <Timestamp ms={evidence.to - 1} />
      </h4>
      <ul aria-labelledby={headingId} className="alert-evidence-list">
        {evidence.calls.map((call) => (
          <li key={call.requestId}>
            <Link
              to={to}
              search={{ deployment, range, request: call.requestId, ...(view ? { view } : {}) }}
              aria-label={`Request ${call.requestId}: open its timeline`}
            >
              <code>{call.requestId}</code>
            </Link>{" "}
            <span className="muted">
              {call.functionPath} · {call.failed ? "failed" : "succeeded"} after {call.durationMs} ms
            </span>
          </li>
        ))}
      </ul>
      {evidence.more && (
        <p className="muted">The newest {evidence.calls.length} are listed; the chart above has them all.</p>
      )}
    </div>
  );
}
