import { useId, useState } from "react";
import type { Id } from "@convex/_generated/dataModel";
import {
  allowedModes,
  CANCELABLE_STATES,
  confirmationOf,
  IMPORT_MODE_LABELS,
  type ImportMode,
} from "@convex/imports/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { Timestamp } from "@/components/Timestamp";
import { useMutationState } from "@/lib/useMutationState";
import {
  useCancelImport,
  useConfirmImport,
  useImportRepeat,
  useSendImportAgain,
  useSubmitImport,
} from "../api";
import {
  blockedReason,
  canSendAgain,
  requireEmptyCheck,
  importView,
  replaceConfirmation,
  sentAsNote,
  shownPreview,
  type ImportRow,
} from "../Imports.utils";
import { ImportPreview, type ExpectedColumn } from "./ImportPreview";
import { WorkProgress } from "@/components/WorkProgress";
import { formatBytes } from "@/lib/format";

type ImportDetailProps = {
  row: ImportRow;
  canAct: boolean;
  isAdmin: boolean;
  /** The target is the console's own deployment, where only the app's tables may be written. */
  intoConsoleItself: boolean;
  /** Stops this page's own upload of the file, if it is still sending chunks. */
  onCanceled: () => void;
  /** Shows another import (the one this import was sent again as). */
  onShow: (importId: Id<"imports">) => void;
  /** The columns the target table expects, when the console knows the table. */
  expected: readonly ExpectedColumn[] | undefined;
};

/** One import, live: its step and progress, the preview, the mode to pick, Convex's summary to confirm. */
export function ImportDetail({
  row,
  canAct,
  isAdmin,
  intoConsoleItself,
  onCanceled,
  onShow,
  expected,
}: ImportDetailProps) {
  const headingId = useId();
  const view = importView(row.status, row.sizeBytes, row.tableRows);
  const cancel = useMutationState(useCancelImport());
  const confirm = useMutationState(useConfirmImport());
  const sendAgain = useMutationState(useSendImportAgain());
  const canCancel = canAct && CANCELABLE_STATES.includes(row.status.state);
  const target = row.targetTable ?? "the tables in the ZIP";
  const typingId = useId();
  const [typeBySchema, setTypeBySchema] = useState(true);
  const typingOffered = canAct && row.status.state === "ready" && row.schemaTypedPreview !== undefined;
  const preview = shownPreview(row, typeBySchema);
  const sentAs = sentAsNote(row);
  return (
    <section className="card stack-sm" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {row.fileName} → {target}: {view.label}
      </h2>
      <WorkProgress view={view} label="Import progress" />
      <p className="muted">
        {formatBytes(row.sizeBytes)} by {row.requestedBy}, <Timestamp ms={row.requestedAt} />, into{" "}
        {row.deployment}
        {row.mode !== undefined ? ` · ${IMPORT_MODE_LABELS[row.mode]}` : ""}
        {sentAs !== null ? ` · ${sentAs}` : ""}.
      </p>
      {row.status.state === "previewing" && (
        <p role="status" className="muted">
          Counting rows and checking every line…
        </p>
      )}
      {typingOffered && (
        <div className="field">
          <label className="field-inline" htmlFor={typingId}>
            <input
              id={typingId}
              type="checkbox"
              checked={typeBySchema}
              aria-describedby={`${typingId}-why`}
              onChange={(event) => setTypeBySchema(event.target.checked)}
            />
            Type cells by the table&apos;s schema
          </label>
          <p id={`${typingId}-why`} className="muted">
            Each cell becomes what {row.targetTable}&apos;s validator wants (text stays text, true/false
            become booleans) and the rows go to Convex as JSON Lines; off, Convex&apos;s CSV rules apply
            (numbers or text only).
          </p>
        </div>
      )}
      {preview !== undefined && (
        <ImportPreview preview={preview} table={row.targetTable} expected={expected} />
      )}
      {canAct && row.status.state === "ready" && preview !== undefined && (
        <ModePicker
          row={row}
          preview={preview}
          isAdmin={isAdmin}
          intoConsoleItself={intoConsoleItself}
          typeBySchema={typingOffered ? typeBySchema : undefined}
        />
      )}
      {row.status.state === "waiting_for_confirmation" && (
        <div className="stack-sm">
          <h3>What the deployment will do</h3>
          <ul aria-label="Changes to confirm">
            {confirmationOf(row.status.messageToConfirm).sentences.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {canAct && (
            <button
              type="button"
              className="button"
              disabled={confirm.pending}
              onClick={() => void confirm.run({ importId: row._id })}
            >
              {confirm.pending ? "Confirming…" : "Confirm and import"}
            </button>
          )}
        </div>
      )}
      {canCancel && (
        <div>
          <button
            type="button"
            className="button button-small"
            disabled={cancel.pending}
            onClick={() =>
              void cancel.run({ importId: row._id }).then((outcome) => outcome.ok && onCanceled())
            }
          >
            Cancel import
          </button>
        </div>
      )}
      {canAct && canSendAgain(row) && (
        <div className="stack-sm">
          <p className="muted">
            The file is still stored: send it again, in the same or another mode, without uploading it.
          </p>
          <div>
            <button
              type="button"
              className="button button-small"
              disabled={sendAgain.pending}
              onClick={() =>
                void sendAgain
                  .run({ importId: row._id })
                  .then((outcome) => outcome.ok && onShow(outcome.value))
              }
            >
              {sendAgain.pending ? "Preparing…" : "Send again"}
            </button>
          </div>
        </div>
      )}
      {sendAgain.error !== null && (
        <ErrorNotice error={sendAgain.error} title="Could not send the import again" />
      )}
      {confirm.error !== null && <ErrorNotice error={confirm.error} title="Could not confirm the import" />}
      {cancel.error !== null && <ErrorNotice error={cancel.error} title="Could not cancel the import" />}
    </section>
  );
}

type ModePickerProps = {
  row: ImportRow;
  preview: NonNullable<ImportRow["preview"]>;
  isAdmin: boolean;
  /** The target is the console's own deployment, where only the app's tables may be written. */
  intoConsoleItself: boolean;
  /** Whether a CSV goes typed by the table's schema; undefined when that is not on offer. */
  typeBySchema: boolean | undefined;
};

function ModePicker({ row, preview, isAdmin, intoConsoleItself, typeBySchema }: ModePickerProps) {
  const groupId = useId();
  const confirmId = useId();
  const [mode, setMode] = useState<ImportMode>("requireEmpty");
  const [typed, setTyped] = useState("");
  const [appendAgain, setAppendAgain] = useState(false);
  const submit = useMutationState(useSubmitImport());
  const repeat = useImportRepeat(row._id);
  const blocked = blockedReason(preview);
  if (blocked !== null) return <p className="notice notice-error">{blocked}</p>;
  const expected = replaceConfirmation(mode, row);
  const emptiness = requireEmptyCheck(row);
  const repeatBlocks = mode === "append" && typeof repeat === "string" && !appendAgain;
  const confirmed =
    (expected === null || typed.trim() === expected) &&
    !(mode === "requireEmpty" && emptiness.refused) &&
    !repeatBlocks;
  return (
    <form
      className="stack-sm"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run({
          importId: row._id,
          mode,
          confirmation: expected === null ? undefined : typed,
          ...(mode === "append" && appendAgain ? { appendAgain: true } : {}),
          ...(typeBySchema === undefined ? {} : { typeBySchema }),
        });
      }}
    >
      <fieldset className="stack-sm">
        <legend>How to write the rows</legend>
        {allowedModes(row.format, isAdmin, intoConsoleItself).map((option) => (
          <label key={option} className="field-inline">
            <input
              type="radio"
              name={groupId}
              checked={mode === option}
              onChange={() => {
                setMode(option);
                setTyped("");
              }}
            />
            {IMPORT_MODE_LABELS[option]}
          </label>
        ))}
      </fieldset>
      {mode === "requireEmpty" && (
        <p className={emptiness.refused ? "notice notice-error" : "muted"}>{emptiness.text}</p>
      )}
      {typeof repeat === "string" && (
        <div className="notice notice-error stack-sm">
          <p>{repeat}</p>
          {mode === "append" && (
            <label className="field-inline">
              <input
                type="checkbox"
                checked={appendAgain}
                onChange={(event) => setAppendAgain(event.target.checked)}
              />
              I checked the table: append this file again anyway
            </label>
          )}
        </div>
      )}
      {expected !== null && (
        <div className="field">
          <p>
            The current rows of {row.targetTable ?? `every table of ${row.deployment}`} are replaced. A backup
            of the deployment is taken first.
          </p>
          <label htmlFor={confirmId}>
            Type <strong className="mono">{expected}</strong> to confirm
          </label>
          <input
            id={confirmId}
            className="input"
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
      )}
      <p className="muted">Convex then summarises the change, and nothing is written until you confirm it.</p>
      <div>
        <button type="submit" className="button" disabled={!confirmed || submit.pending}>
          {submit.pending ? "Sending…" : "Send to the deployment"}
        </button>
      </div>
      {submit.error !== null && <ErrorNotice error={submit.error} title="Could not start the import" />}
    </form>
  );
}
