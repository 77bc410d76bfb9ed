import { Link } from "@tanstack/react-router";
import { APP_TABLES } from "@convex/backups/shared";
import { Page } from "@/components/Page";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { SkeletonRows } from "@/components/Skeleton";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import { useConnectedDeployment } from "../api";
import { ownDeploymentSentence } from "../Backups.utils";
import { BackupList } from "./BackupList";
import { BackupNow } from "./BackupNow";
import { BackupPolicyForms } from "./BackupPolicyForms";
import { RestoreStatus } from "./RestoreStatus";
import { RpoMeter } from "./RpoMeter";

/** Backups: RPO, Backup now, the live list, and (admins) the schedule, retention and RPO target. */
export function BackupsPage() {
  const viewer = useViewer();
  return (
    <Page
      title="Backups"
      description="Snapshot exports of the connected deployment, copied into this console's own storage and verified."
    >
      <ErrorBoundary title="Could not load the RPO">
        <RpoMeter />
      </ErrorBoundary>
      <ErrorBoundary title="Could not load the connected deployment">
        <Connection canBackUp={viewerHasRole(viewer, "operator")} />
      </ErrorBoundary>
      <ErrorBoundary title="Could not load the restores">
        <RestoreStatus isAdmin={viewerHasRole(viewer, "admin")} />
      </ErrorBoundary>
      <ErrorBoundary title="Could not load the backups">
        <BackupList />
      </ErrorBoundary>
      <ErrorBoundary title="Could not load the backup settings">
        <BackupPolicyForms isAdmin={viewerHasRole(viewer, "admin")} />
      </ErrorBoundary>
    </Page>
  );
}

function Connection({ canBackUp }: { canBackUp: boolean }) {
  const deployment = useConnectedDeployment();
  if (deployment === undefined) return <SkeletonRows rows={2} label="Loading the connected deployment…" />;
  if (deployment === null) {
    return (
      <section aria-labelledby="no-deployment-heading" className="notice notice-warning">
        <h2 id="no-deployment-heading">No deployment connected</h2>
        <p>
          Backups need a deployment to export from. An admin connects one in{" "}
          <Link to="/settings">Settings → Connected deployment</Link> with its URL and a deploy key (Convex
          dashboard → Settings → Deploy keys), or sets <code>CONVEX_DEPLOYMENT_URL</code> and{" "}
          <code>CONVEX_DEPLOY_KEY</code> on this console&apos;s deployment.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="backup-now-heading" className="stack">
      <h2 id="backup-now-heading">
        Back up <span className="mono">{deployment.name}</span>
      </h2>
      {deployment.isConsoleItself && (
        <p className="notice notice-info" role="note">
          {ownDeploymentSentence(APP_TABLES)}
        </p>
      )}
      {canBackUp ? <BackupNow /> : <p className="muted">Operators and admins can take a backup.</p>}
    </section>
  );
}
