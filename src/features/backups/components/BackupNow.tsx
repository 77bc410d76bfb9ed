import { useId, useState } from "react";
import { ErrorNotice } from "@/components/ErrorNotice";
import { useMutationState } from "@/lib/useMutationState";
import { useBackupNow } from "../api";

export function BackupNow() {
  const backupNow = useMutationState(useBackupNow());
  const [includeStorage, setIncludeStorage] = useState(false);
  const [started, setStarted] = useState(false);
  const checkboxId = useId();
  return (
    <div className="stack-sm">
      <div className="toolbar">
        <label htmlFor={checkboxId} className="field-inline">
          <input
            id={checkboxId}
            type="checkbox"
            checked={includeStorage}
            onChange={(event) => setIncludeStorage(event.target.checked)}
          />
          Include file storage
        </label>
        <button
          type="button"
          className="button button-primary"
          disabled={backupNow.pending}
          onClick={() => {
            setStarted(false);
            void backupNow.run({ includeStorage }).then((outcome) => setStarted(outcome.ok));
          }}
        >
          {backupNow.pending ? "Starting…" : "Backup now"}
        </button>
      </div>
      {started && (
        <p className="notice notice-info" role="status">
          Backup started: follow it in the list below.
        </p>
      )}
      {backupNow.error !== null && <ErrorNotice error={backupNow.error} title="Could not start the backup" />}
    </div>
  );
}
