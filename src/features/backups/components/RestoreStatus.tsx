import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { ErrorNotice } from "@/components/ErrorNotice";
import { useMutationState } from "@/lib/useMutationState";
import { useCancelImport, usePerformImport, useRestores } from "../api";
import { restoreProgressView } from "../Backups.utils";
import { WorkProgress } from "@/components/WorkProgress";

/**
 * The latest restore, live: its step, a progress bar, and the result. When Convex has read the
 * upload, its summary of what the import creates and deletes is shown and nothing moves until an
 * admin performs the import or cancels it.
 */
export function RestoreStatus({ isAdmin }: { isAdmin: boolean }) {
  const restores = useRestores();
  if (restores === undefined) return <SkeletonRows rows={1} label="Loading restores…" />;
  const latest = restores.restores[0];
  if (latest === undefined) return null;
  const view = restoreProgressView(latest.status);
  const waiting = latest.status.state === "waiting_for_confirmation";
  return (
    <section aria-labelledby="restore-status-heading" className="card stack-sm">
      <h2 id="restore-status-heading">
        Restore of {latest.backupName} into {latest.deployment}: {view.label}
      </h2>
      <p className="muted">
        Requested by {latest.requestedBy} <Timestamp ms={latest.requestedAt} />;{" "}
        {latest.mode === "replaceAll" ? "replaces every table" : `replaces ${latest.tables.join(", ")}`}
        {latest.leftOut.length > 0 ? `; leaves ${latest.leftOut.join(", ")} alone` : ""}.
        {latest.confirmedBy ? ` Import confirmed by ${latest.confirmedBy}.` : ""}
      </p>
      <WorkProgress view={view} label="Restore progress" />
      {latest.messageToConfirm &&
        (waiting ? (
          <div className="stack-sm">
            <h3>What Convex will do</h3>
            <pre className="mono" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {latest.messageToConfirm}
            </pre>
          </div>
        ) : (
          <details>
            <summary>Convex&apos;s summary of the import</summary>
            <pre className="mono" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {latest.messageToConfirm}
            </pre>
          </details>
        ))}
      {waiting &&
        (isAdmin ? (
          <ConfirmImport restoreId={latest._id} deployment={latest.deployment} />
        ) : (
          <p className="muted">An admin performs or cancels the import.</p>
        ))}
      {latest.note && <p className="notice notice-warning">{latest.note}</p>}
    </section>
  );
}

function ConfirmImport({
  restoreId,
  deployment,
}: {
  restoreId: Parameters<ReturnType<typeof usePerformImport>>[0]["restoreId"];
  deployment: string;
}) {
  const perform = useMutationState(usePerformImport());
  const cancel = useMutationState(useCancelImport());
  const pending = perform.pending || cancel.pending;
  return (
    <div className="stack-sm">
      <div className="toolbar">
        <button
          type="button"
          className="button button-danger"
          disabled={pending}
          onClick={() => void perform.run({ restoreId })}
        >
          {perform.pending ? "Starting the import…" : `Perform import into ${deployment}`}
        </button>
        <button
          type="button"
          className="button"
          disabled={pending}
          onClick={() => void cancel.run({ restoreId })}
        >
          {cancel.pending ? "Canceling…" : "Cancel the import"}
        </button>
      </div>
      {perform.error !== null && <ErrorNotice error={perform.error} title="Could not perform the import" />}
      {cancel.error !== null && <ErrorNotice error={cancel.error} title="Could not cancel the import" />}
    </div>
  );
}
