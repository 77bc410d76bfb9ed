import { Link } from "@tanstack/react-router";
import { durationInWords, RPO_STATE_LABELS, RPO_TONES, rpoStatus } from "@convex/backups/shared";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { useNow } from "@/lib/clock";
import { useBackupRpo } from "../api";

const LABEL = "Backups (RPO)";

/**
 * The age of the newest verified backup against the RPO target, by the backups domain's rule. A
 * failure to read it stays inside this tile, so the health tiles beside it still show.
 */
export function BackupRpoTile() {
  return (
    <ErrorBoundary
      fallback={(error, reset) => (
        <li className="tile tile-none">
          <p className="tile-label">{LABEL}</p>
          <ErrorNotice error={error} title="Could not load the RPO" onRetry={reset} />
        </li>
      )}
    >
      <RpoTileContent />
    </ErrorBoundary>
  );
}

/** Re-evaluated on the page's clock, so the age grows live between backups. */
function RpoTileContent() {
  const rpo = useBackupRpo();
  const clock = useNow(30_000);
  if (rpo === undefined) {
    return (
      <li className="tile tile-none">
        <p className="tile-label">{LABEL}</p>
        <SkeletonRows rows={2} label="Loading the RPO…" />
      </li>
    );
  }
  const status = rpoStatus({ newestVerifiedAt: rpo.newestVerifiedAt, now: clock, targetMs: rpo.targetMs });
  const tone = RPO_TONES[status.state];
  return (
    <li className={`tile tile-${tone}`}>
      <p className="tile-label">{LABEL}</p>
      <p className="tile-value">
        <Link to="/backups" className="tile-link">
          {status.ageMs === null ? "No verified backup yet" : `${durationInWords(status.ageMs)} old`}
        </Link>
      </p>
      <p className="tile-threshold">
        <span className={`tile-flag tile-flag-${tone}`}>
          {status.state === "ok" ? "✓" : "⚠"} {RPO_STATE_LABELS[status.state]}
        </span>{" "}
        <span className="muted">target {durationInWords(status.targetMs)}</span>
      </p>
    </li>
  );
}
