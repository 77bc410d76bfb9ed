import { useId, useState, type FormEvent } from "react";
import { ErrorNotice } from "@/components/ErrorNotice";
import { Timestamp } from "@/components/Timestamp";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useMutationState } from "@/lib/useMutationState";
import { useCloseRun, useStartRun } from "../api";
import { ChecklistCard } from "./ChecklistCard";
import type { Board, EvidenceMap, Run } from "../types";

type OnDemandSectionProps = {
  board: Board;
  canTick: boolean;
  evidence: EvidenceMap | undefined;
  now: number;
};

/** Emergency procedures and one-off checklists: started with a title, closed when done. */
export function OnDemandSection({ board, canTick, evidence, now }: OnDemandSectionProps) {
  return (
    <section aria-labelledby="on-demand-heading" className="stack">
      <h2 id="on-demand-heading">On-demand runbooks</h2>
      {canTick && board.onDemandTemplates.length > 0 && <StartForm board={board} />}
      {board.openRuns.length === 0 ? (
        <p className="muted">No on-demand runbook is open.</p>
      ) : (
        <div className="two-columns">
          {board.openRuns.map((run) => {
            const template = board.onDemandTemplates.find((candidate) => candidate._id === run.templateId);
            return (
              <ChecklistCard
                key={run._id}
                run={run}
                periodLabel={
                  <>
                    {template?.title ?? "Runbook"} · started by {run.startedBy}{" "}
                    <Timestamp ms={run.startedAt} />
                  </>
                }
                canTick={canTick}
                evidence={evidence}
                now={now}
                actions={canTick && <CloseRunButton run={run} />}
              />
            );
          })}
        </div>
      )}
    </section>
  );
}

function StartForm({ board }: { board: Board }) {
  const { run: start, pending, error } = useMutationState(useStartRun());
  const templateFieldId = useId();
  const titleFieldId = useId();
  const [templateId, setTemplateId] = useState(board.onDemandTemplates[0]?._id ?? "");
  const [title, setTitle] = useState("");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const template = board.onDemandTemplates.find((candidate) => candidate._id === templateId);
    if (template === undefined) return;
    if ((await start({ templateId: template._id, title })).ok) setTitle("");
  }

  return (
    <form
      className="filter-bar"
      aria-label="Start an on-demand runbook"
      onSubmit={(event) => void submit(event)}
    >
      <div className="field field-inline">
        <label htmlFor={templateFieldId}>Runbook</label>
        <select
          id={templateFieldId}
          className="input"
          value={templateId}
          onChange={(event) => setTemplateId(event.target.value as typeof templateId)}
        >
          {board.onDemandTemplates.map((template) => (
            <option key={template._id} value={template._id}>
              {template.title}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline field-grow">
        <label htmlFor={titleFieldId}>Title</label>
        <input
          id={titleFieldId}
          className="input"
          placeholder="e.g. the incident's name"
          value={title}
          maxLength={120}
          required
          onChange={(event) => setTitle(event.target.value)}
        />
      </div>
      <button type="submit" className="button button-primary" disabled={pending || title.trim() === ""}>
        {pending ? "Starting…" : "Start"}
      </button>
      {error !== null && <ErrorNotice error={error} title="Not started" />}
    </form>
  );
}

function CloseRunButton({ run }: { run: Run }) {
  const { run: close, pending, error, clearError } = useMutationState(useCloseRun());
  const [confirming, setConfirming] = useState(false);
  const unticked = run.progress.total - run.progress.ticked;

  async function doClose() {
    if ((await close({ runId: run._id })).ok) setConfirming(false);
  }

  return (
    <div className="checklist-actions">
      <button
        type="button"
        className={unticked > 0 ? "button button-danger-outline" : "button button-primary"}
        disabled={pending}
        onClick={() => {
          clearError();
          if (unticked > 0) setConfirming(true);
          else void doClose();
        }}
      >
        Close {run.title}
      </button>
      {!confirming && error !== null && <ErrorNotice error={error} title="Not closed" />}
      {confirming && (
        <TypedConfirmDialog
          title={`Close ${run.title} with ${unticked} unticked ${unticked === 1 ? "item" : "items"}?`}
          consequences={
            <p>
              The run stays in the history as closed incomplete, and nobody can tick its remaining items
              afterwards.
            </p>
          }
          confirmText={run.title}
          actionLabel="Close runbook"
          pending={pending}
          error={error !== null && <ErrorNotice error={error} title="Not closed" />}
          onConfirm={() => void doClose()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
