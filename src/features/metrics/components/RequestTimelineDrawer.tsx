import type { FunctionReturnType } from "convex/server";
import { Drawer } from "@/components/Drawer";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { SkeletonRows } from "@/components/Skeleton";
import { formatCount, formatDuration } from "@/lib/format";
import { formatAbsolute, formatIso } from "@/lib/time";
import { api } from "@convex/_generated/api";
import { useRequestTimeline } from "../api";

type TimelineEntry = FunctionReturnType<typeof api.metrics.metrics.requestTimeline>[number];

type RequestTimelineDrawerProps = {
  deployment: string;
  requestId: string;
  onClose: () => void;
};

/** Every execution and console line that shares one request id, in time order: the correlation timeline. */
export function RequestTimelineDrawer({ deployment, requestId, onClose }: RequestTimelineDrawerProps) {
  return (
    <Drawer
      title="Request timeline"
      subtitle={
        <>
          Request <code>{requestId}</code> on <span className="mono">{deployment}</span>
        </>
      }
      onClose={onClose}
    >
      <ErrorBoundary key={requestId} title="Could not load this request">
        <Timeline deployment={deployment} requestId={requestId} />
      </ErrorBoundary>
    </Drawer>
  );
}

function Timeline({ deployment, requestId }: { deployment: string; requestId: string }) {
  const entries = useRequestTimeline(deployment, requestId);
  if (entries === undefined) {
    return <SkeletonRows rows={4} label="Loading the request timeline…" />;
  }
  if (entries.length === 0) {
    return (
      <p className="muted">
        Nothing stored for this request id. Raw executions and console lines are kept for 24 hours, so older
        requests have no timeline.
      </p>
    );
  }
  const start = entries[0]!.ts;
  return (
    <ol className="timeline" aria-label={`${entries.length} events for request ${requestId}`}>
      {entries.map((entry, index) => (
        <li key={index} className={`timeline-entry timeline-${entry.kind}`}>
          <p className="timeline-time">
            <time dateTime={formatIso(entry.ts)}>{formatAbsolute(entry.ts)}</time>
            <span className="muted"> · +{formatDuration(entry.ts - start)}</span>
          </p>
          <TimelineBody entry={entry} />
        </li>
      ))}
    </ol>
  );
}

function TimelineBody({ entry }: { entry: TimelineEntry }) {
  if (entry.kind === "log") {
    return (
      <div className="stack-sm">
        <p>
          <span className={`badge badge-level-${entry.level}`}>{entry.level}</span>{" "}
          <span className="muted">console</span> <code>{entry.functionPath ?? "—"}</code>
        </p>
        <pre className="log-line">{entry.message}</pre>
      </div>
    );
  }
  return (
    <div className="stack-sm">
      <p>
        <StatusBadge status={entry.status} /> <span className="muted">{entry.functionType}</span>{" "}
        <code>{entry.functionPath}</code> took <strong>{formatDuration(entry.durationMs)}</strong>
      </p>
      <p className="muted">
        Read {formatCount(entry.readDocuments)} documents, wrote {formatCount(entry.writeDocuments)}
      </p>
      {entry.status === "failure" && (
        <p>
          <code className="error-code">{entry.errorCode ?? "INTERNAL"}</code> {entry.errorMessage}
        </p>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const label = status === "failure" ? "✕ failure" : status === "success" ? "✓ success" : status;
  return <span className={`badge badge-status-${status}`}>{label}</span>;
}
