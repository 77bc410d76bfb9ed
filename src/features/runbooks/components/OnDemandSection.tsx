import { useState, type FormEvent } from "react";
import { ErrorNotice } from "@/components/ErrorNotice";
import { TextField } from "@/components/FormField";
import { SelectField } from "@/components/SelectField";
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
      <SelectField
        label="Runbook"
        value={templateId}
        options={board.onDemandTemplates.map((template) => ({ value: template._id, label: template.title }))}
        onChange={(value) => setTemplateId(value as typeof templateId)}
      />
      <TextField
        inline="grow"
        label="Title"
        placeholder="e.g. the incident's name"
        value={title}
        maxLength={120}
        required
        onValueChange={setTitle}
      />
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
