import { useId, useState, type FormEvent } from "react";
import type { Id } from "@convex/_generated/dataModel";
import { formatOfFileName } from "@convex/imports/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { useMutationState } from "@/lib/useMutationState";
import { useBeginImport, useFinishImportUpload, useImportUploadUrl } from "../api";
import { postToImport, uploadChunks, UploadStoppedError } from "../upload";

type NewImportFormProps = {
  appTables: readonly string[];
  onlyAppTables: boolean;
  /** Called once the import exists, before its bytes are sent; the abort stops the upload. */
  onStarted: (importId: Id<"imports">, upload: AbortController) => void;
};

/** Picks a file and its target table, then uploads it in chunks; the preview follows on its own. */
export function NewImportForm({ appTables, onlyAppTables, onStarted }: NewImportFormProps) {
  const fileId = useId();
  const tableId = useId();
  const tablesId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState(appTables.includes("tasks") ? "tasks" : (appTables[0] ?? ""));
  const begin = useBeginImport();
  const uploadUrl = useImportUploadUrl();
  const finishUpload = useFinishImportUpload();
  const upload = useMutationState(async (chosen: File, targetTable: string | undefined) => {
    const importId = await begin({ fileName: chosen.name, sizeBytes: chosen.size, targetTable });
    const controller = new AbortController();
    onStarted(importId, controller);
    try {
      await uploadChunks(
        importId,
        chosen,
        { uploadUrl, finishUpload, post: postToImport },
        controller.signal,
      );
    } catch (error) {
      // A canceled upload is not a failure: the import already says it was canceled.
      if (!(error instanceof UploadStoppedError) && !controller.signal.aborted) throw error;
    }
  });
  const isZip = file !== null && formatOfFileName(file.name) === "zip";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (file === null) return;
    void upload.run(file, isZip ? undefined : table.trim()).then((outcome) => {
      if (outcome.ok) {
        setFile(null);
        (event.target as HTMLFormElement).reset();
      }
    });
  }

  return (
    <section className="card stack-sm" aria-labelledby={`${fileId}-heading`}>
      <h2 id={`${fileId}-heading`}>New import</h2>
      <p className="muted">
        CSV (with a header row), JSON Lines, a JSON array (up to 16 MiB) or a snapshot ZIP. The file is
        previewed in full before anything is written.
      </p>
      <form className="stack-sm" onSubmit={submit}>
        <div className="field">
          <label htmlFor={fileId}>File</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,.jsonl,.ndjson,.json,.zip"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        {!isZip && (
          <div className="field">
            <label htmlFor={tableId}>Table to import into</label>
            <input
              id={tableId}
              className="input"
              list={tablesId}
              value={table}
              required
              onChange={(event) => setTable(event.target.value)}
            />
            <datalist id={tablesId}>
              {appTables.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            {onlyAppTables && (
              <span className="muted">
                The connected deployment is the console itself: only the app&apos;s tables can be imported
                into.
              </span>
            )}
          </div>
        )}
        <div>
          <button type="submit" className="button" disabled={file === null || upload.pending}>
            {upload.pending ? "Uploading…" : "Upload and preview"}
          </button>
        </div>
        {upload.error !== null && <ErrorNotice error={upload.error} title="Could not upload the file" />}
      </form>
    </section>
  );
}
