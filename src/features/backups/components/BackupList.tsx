import type { FunctionReturnType } from "convex/server";
import { useState } from "react";
import type { api } from "@convex/_generated/api";
import { APP_TABLES, BACKUP_KIND_LABELS } from "@convex/backups/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useMutationState } from "@/lib/useMutationState";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import { RestoreDialog } from "./RestoreDialog";
import {
  useBackups,
  useConnectedDeployment,
  useRestores,
  useCancelBackup,
  useDeleteBackup,
  useDownloadLink,
  useSetPinned,
  useVerifyBackup,
} from "../api";
import { canCancel, canDelete, canVerifyAgain, progressView, tablesSummary } from "../Backups.utils";
import { WorkProgress } from "@/components/WorkProgress";
import { formatBytes } from "@/lib/format";

type Backup = FunctionReturnType<typeof api.backups.backups.list>[number];

export function BackupList() {
  const backups = useBackups();
  return (
    <section aria-labelledby="backup-list-heading" className="stack">
      <h2 id="backup-list-heading">Backup history</h2>
      {backups === undefined ? (
        <SkeletonRows rows={4} label="Loading the backups…" />
      ) : backups.length === 0 ? (
        <p className="muted">No backups yet. Take one with Backup now, or set a schedule below.</p>
      ) : (
        <ul className="group-list" aria-label="Backups, newest first">
          {backups.map((backup) => (
            <BackupItem key={backup._id} backup={backup} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BackupItem({ backup }: { backup: Backup }) {
  const viewer = useViewer();
  const isOperator = viewerHasRole(viewer, "operator");
  const isAdmin = viewerHasRole(viewer, "admin");
  const view = progressView(backup.status);
  const cancel = useMutationState(useCancelBackup());
  const verify = useMutationState(useVerifyBackup());
  const download = useMutationState(useDownloadLink());
  const pin = useMutationState(useSetPinned());
  const remove = useMutationState(useDeleteBackup());
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const connection = useConnectedDeployment();
  const restores = useRestores();
  const error = cancel.error ?? verify.error ?? download.error ?? pin.error;

  return (
    <li className="stack-sm" aria-label={`Backup ${backup.name}`}>
      <div className="cell-inline">
        <strong className="mono">{backup.name}</strong>
        <span
          className={`badge badge-status-${view.tone === "ok" ? "success" : view.tone === "problem" ? "failure" : "neutral"}`}
        >
          {view.label}
        </span>
        {backup.pinned && <span className="badge">Pinned</span>}
      </div>
      <WorkProgress view={view} label={`Progress of ${backup.name}`} />
      <dl className="facts">
        <div>
          <dt>Kind</dt>
          <dd>
            {BACKUP_KIND_LABELS[backup.kind]} by {backup.requestedBy}, <Timestamp ms={backup.requestedAt} />
          </dd>
        </div>
        <div>
          <dt>Contents</dt>
          <dd>
            {tablesSummary(
              backup.tables,
              connection?.isConsoleItself === true && backup.deployment === connection.name
                ? APP_TABLES
                : undefined,
            )}
            {backup.includeStorage ? " · with file storage" : " · tables only"}
          </dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(backup.sizeBytes)}</dd>
        </div>
        {backup.sha256 && (
          <div>
            <dt>SHA-256</dt>
            <dd className="mono" style={{ overflowWrap: "anywhere" }}>
              {backup.sha256}
            </dd>
          </div>
        )}
        {backup.verifiedAt !== undefined && (
          <div>
            <dt>Verified</dt>
            <dd>
              <Timestamp ms={backup.verifiedAt} />
            </dd>
          </div>
        )}
        {backup.exportExpiresAt !== undefined && (
          <div>
            <dt>Convex&apos;s copy expires</dt>
            <dd>
              <Timestamp ms={backup.exportExpiresAt} deadline />
            </dd>
          </div>
        )}
      </dl>
      {isOperator && (
        <div className="toolbar">
          {canCancel(backup.status.state) && (
            <button
              type="button"
              className="button button-small"
              onClick={() => void cancel.run({ backupId: backup._id })}
            >
              Cancel
            </button>
          )}
          {canVerifyAgain(backup) && (
            <button
              type="button"
              className="button button-small"
              onClick={() => void verify.run({ backupId: backup._id })}
            >
              Verify again
            </button>
          )}
          {isAdmin && backup.stored && (
            <button
              type="button"
              className="button button-small"
              disabled={download.pending}
              onClick={() =>
                void download.run({ backupId: backup._id }).then((outcome) => {
                  if (outcome.ok) window.location.assign(outcome.value.url);
                })
              }
            >
              Download
            </button>
          )}
          {isAdmin && (
            <button
              type="button"
              className="button button-small"
              aria-pressed={backup.pinned}
              onClick={() => void pin.run({ backupId: backup._id, pinned: !backup.pinned })}
            >
              {backup.pinned ? "Unpin" : "Pin"}
            </button>
          )}
          {isAdmin && backup.status.state === "verified" && connection && (
            <button type="button" className="button button-small" onClick={() => setRestoring(true)}>
              Restore
            </button>
          )}
          {isAdmin && canDelete(backup) && (
            <button
              type="button"
              className="button button-small button-danger-outline"
              onClick={() => setConfirmingDelete(true)}
            >
              Delete
            </button>
          )}
        </div>
      )}
      {error !== null && <ErrorNotice error={error} title="That did not work" />}
      {restoring && connection && (
        <RestoreDialog
          backup={backup}
          connection={connection}
          appTables={restores?.appTables ?? []}
          onClose={() => setRestoring(false)}
        />
      )}
      {confirmingDelete && (
        <TypedConfirmDialog
          title="Delete this backup?"
          consequences={
            <p>
              The console&apos;s stored copy of <strong>{backup.name}</strong> (
              {formatBytes(backup.sizeBytes)}) is deleted for good. A restore can no longer bring back that
              point in time.
            </p>
          }
          confirmText={backup.name}
          actionLabel="Delete backup"
          pending={remove.pending}
          error={
            remove.error !== null ? (
              <ErrorNotice error={remove.error} title="Could not delete the backup" />
            ) : null
          }
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() =>
            void remove.run({ backupId: backup._id, confirmation: backup.name }).then((outcome) => {
              if (outcome.ok) setConfirmingDelete(false);
            })
          }
        />
      )}
    </li>
  );
}
