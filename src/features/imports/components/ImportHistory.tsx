import { Link } from "@tanstack/react-router";
import type { Id } from "@convex/_generated/dataModel";
import { IMPORT_MODE_LABELS } from "@convex/imports/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { Timestamp } from "@/components/Timestamp";
import { useSourceDownloadLink } from "../api";
import { importView, sentAsNote, type ImportRow } from "../Imports.utils";
import { formatBytes } from "@/lib/format";
import { useMutationState } from "@/lib/useMutationState";

type ImportHistoryProps = {
  imports: readonly ImportRow[];
  shownId: Id<"imports"> | null;
  onShow: (importId: Id<"imports">) => void;
  canDownload: boolean;
};

/** Every import, newest first: file, size, digest, who, target, mode, state, result, pre-import backup. */
export function ImportHistory({ imports, shownId, onShow, canDownload }: ImportHistoryProps) {
  return (
    <section className="card stack-sm" aria-labelledby="import-history-heading">
      <h2 id="import-history-heading">History</h2>
      {imports.length === 0 ? (
        <p className="muted">No imports yet.</p>
      ) : (
        <ul className="stack-sm" aria-label="Imports">
          {imports.map((row) => (
            <HistoryItem
              key={row._id}
              row={row}
              shown={row._id === shownId}
              onShow={() => onShow(row._id)}
              canDownload={canDownload}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

type HistoryItemProps = { row: ImportRow; shown: boolean; onShow: () => void; canDownload: boolean };

function HistoryItem({ row, shown, onShow, canDownload }: HistoryItemProps) {
  const view = importView(row.status, row.sizeBytes, row.tableRows);
  const name = `${row.fileName} → ${row.targetTable ?? "ZIP tables"}`;
  return (
    <li className="stack-sm" aria-label={`Import ${name}`} aria-current={shown ? "true" : undefined}>
      <div className="cell-inline">
        <strong className="mono" style={{ overflowWrap: "anywhere" }}>
          {name}
        </strong>
        <span
          className={`badge badge-status-${view.tone === "ok" ? "success" : view.tone === "problem" ? "failure" : "neutral"}`}
        >
          {view.label}
        </span>
      </div>
      <p className="muted">
        {formatBytes(row.sizeBytes)} · {row.requestedBy}, <Timestamp ms={row.requestedAt} />
        {row.mode !== undefined ? ` · ${IMPORT_MODE_LABELS[row.mode]}` : ""}
        {sentAsNote(row) !== null ? ` · ${sentAsNote(row)}` : ""}
      </p>
      {["completed", "failed", "outcome_unknown"].includes(row.status.state) && view.detail && (
        <p className={view.tone === "problem" ? "notice notice-error" : undefined}>{view.detail}</p>
      )}
      {row.sha256 !== undefined && (
        <p className="mono muted" style={{ overflowWrap: "anywhere" }}>
          SHA-256 {row.sha256}
        </p>
      )}
      <div className="cell-inline">
        {!shown && (
          <button type="button" className="button button-small" onClick={onShow} aria-label={`Show ${name}`}>
            Show
          </button>
        )}
        {canDownload && row.status.state !== "uploading" && <DownloadSource row={row} name={name} />}
        {row.preImportBackupId !== undefined && (
          <Link to="/backups" className="link-button">
            Pre-import backup
          </Link>
        )}
      </div>
    </li>
  );
}

/**
 * Downloads the file as it was uploaded (admins only): a one-time link, valid for minutes, that the
 * console's site serves once under the file's own name.
 */
function DownloadSource({ row, name }: { row: ImportRow; name: string }) {
  const download = useMutationState(useSourceDownloadLink());
  return (
    <>
      <button
        type="button"
        className="button button-small"
        disabled={download.pending}
        aria-label={`Download the source file of ${name}`}
        onClick={() =>
          void download.run({ importId: row._id }).then((outcome) => {
            if (outcome.ok) window.location.assign(outcome.value.url);
          })
        }
      >
        {download.pending ? "Preparing…" : "Download file"}
      </button>
      {download.error !== null && <ErrorNotice error={download.error} title="Could not download the file" />}
    </>
  );
}
