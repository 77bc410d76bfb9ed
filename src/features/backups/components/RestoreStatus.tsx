import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useRestores } from "../api";
import { restoreProgressView } from "../Backups.utils";

/** The latest restore, live: its step, a progress bar, Convex's summary, and the result. */
export function RestoreStatus() {
  const restores = useRestores();
  if (restores === undefined) return <SkeletonRows rows={1} label="Loading restores…" />;
  const latest = restores.restores[0];
  if (latest === undefined) return null;
  const view = restoreProgressView(latest.status);
  return (
    <section aria-labelledby="restore-status-heading" className="card stack-sm">
      <h2 id="restore-status-heading">
        Restore of {latest.backupName} into {latest.deployment}: {view.label}
      </h2>
      <p className="muted">
        Requested by {latest.requestedBy} <Timestamp ms={latest.requestedAt} />;{" "}
        {latest.mode === "replaceAll" ? "replaces every table" : `replaces ${latest.tables.join(", ")}`}
        {latest.leftOut.length > 0 ? `; leaves ${latest.leftOut.join(", ")} alone` : ""}.
      </p>
      {view.running && (
        <progress
          aria-label="Restore progress"
          max={100}
          {...(view.percent !== null ? { value: view.percent } : {})}
        />
      )}
      {view.detail && (
        <p className={view.tone === "problem" ? "notice notice-error" : undefined}>{view.detail}</p>
      )}
      {latest.messageToConfirm && (
        <details>
          <summary>Convex&apos;s summary of the import</summary>
          <pre className="mono" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {latest.messageToConfirm}
          </pre>
        </details>
      )}
    </section>
  );
}
