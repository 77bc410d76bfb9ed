import { Drawer } from "@/components/Drawer";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { formatDuration } from "@/lib/format";
import { useErrorGroupCalls } from "../api";
import type { MetricsScopeValue } from "./MetricsScope";
import { RANGE_LABELS } from "../search";

type ErrorGroupCallsDrawerProps = {
  scope: MetricsScopeValue;
  /** The error group's id, from the URL. */
  group: string;
  onOpenRequest: (requestId: string) => void;
  onClose: () => void;
};

/** One error group's failing calls in the selected range; each opens its request timeline. */
export function ErrorGroupCallsDrawer({ scope, group, onOpenRequest, onClose }: ErrorGroupCallsDrawerProps) {
  return (
    <Drawer
      title="Failing calls"
      subtitle={`${RANGE_LABELS[scope.range]} on ${scope.deployment}, newest first`}
      onClose={onClose}
    >
      <ErrorBoundary key={group} title="Could not load this error group's calls">
        <GroupCalls scope={scope} group={group} onOpenRequest={onOpenRequest} />
      </ErrorBoundary>
    </Drawer>
  );
}

function GroupCalls({
  scope,
  group,
  onOpenRequest,
}: Pick<ErrorGroupCallsDrawerProps, "scope" | "group" | "onOpenRequest">) {
  const answer = useErrorGroupCalls(scope, group);
  if (answer === undefined) {
    return <SkeletonRows rows={4} label="Loading the failing calls…" />;
  }
  const { group: found, calls, truncated } = answer;
  return (
    <div className="stack">
      <p>
        <code className="error-code">{found.code}</code> in <code>{found.functionPath}</code>
      </p>
      <p className="group-message">{found.message}</p>
      {calls.length === 0 ? (
        <p className="muted">
          No failing call of this group is stored for this range. Raw calls are kept for the retention period
          set in Settings, so older failures have no timeline.
        </p>
      ) : (
        <ol className="call-list" aria-label={`${calls.length} failing calls`}>
          {calls.map((call) => (
            <li key={call.requestId} className="call-list-item">
              <p>
                <Timestamp ms={call.ts} /> · {formatDuration(call.durationMs)}
              </p>
              <button
                type="button"
                className="link-button mono"
                aria-label={`Open the timeline of request ${call.requestId}`}
                onClick={() => onOpenRequest(call.requestId)}
              >
                {call.requestId}
              </button>
              {call.errorMessage !== null && <p className="group-message muted">{call.errorMessage}</p>}
            </li>
          ))}
        </ol>
      )}
      {truncated && (
        <p className="muted" role="status">
          Showing the newest {calls.length}; pick a shorter range for older ones.
        </p>
      )}
    </div>
  );
}
