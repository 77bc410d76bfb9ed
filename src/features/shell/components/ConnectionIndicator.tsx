import { useBackendStatus, type BackendStatus } from "@/lib/backend";

const LABELS: Record<BackendStatus, string> = {
  connected: "Connected",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** The Convex client's live WebSocket state; screen readers hear changes. */
export function ConnectionIndicator() {
  const { status, url } = useBackendStatus();
  return (
    <span className={`connection connection-${status}`} title={url}>
      <span className="connection-dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {LABELS[status]}
      </span>
    </span>
  );
}
