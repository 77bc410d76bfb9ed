import { Drawer } from "@/components/Drawer";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { SkeletonRows } from "@/components/Skeleton";
import { useLogTimeline } from "../api";
import { LogRowView } from "./LogRowView";

type Props = { requestId: string; deployment?: string; onClose: () => void };

/** Every stored execution and console line of one request, oldest first. */
export function LogTimelineDrawer({ requestId, deployment, onClose }: Props) {
  return (
    <Drawer
      title="Request timeline"
      subtitle={
        <>
          Request <code>{requestId}</code>
          {deployment !== undefined && (
            <>
              {" "}
              on <span className="mono">{deployment}</span>
            </>
          )}
        </>
      }
      onClose={onClose}
    >
      <ErrorBoundary key={requestId} title="Could not load this request">
        <Timeline requestId={requestId} deployment={deployment} />
      </ErrorBoundary>
    </Drawer>
  );
}

function Timeline({ requestId, deployment }: { requestId: string; deployment?: string }) {
  const rows = useLogTimeline(requestId, deployment);
  if (rows === undefined) return <SkeletonRows rows={4} label="Loading the request timeline…" />;
  if (rows.length === 0) {
    return <p className="muted">Nothing stored for this request. Logs are kept for 24 hours.</p>;
  }
  return (
    <ol className="log-timeline" aria-label="Events of this request">
      {rows.map((row) => (
        <li key={row._id}>
          <LogRowView row={row} highlights={[]} />
        </li>
      ))}
    </ol>
  );
}
