import { useState } from "react";
import { bulkDeletePhrase, MAX_BULK_TASKS, TASK_PRIORITIES, type TaskPriority } from "@convex/tasks/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SelectField } from "@/components/SelectField";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useMutationState } from "@/lib/useMutationState";
import { useRemoveTasks, useSetTasksCompleted, useSetTasksPriority } from "../api";
import type { TaskRow } from "../Tasks.utils";

/** What an operator can do to the selected tasks at once; deleting asks for a typed phrase. */
export function BulkActions({ taskIds, onDone }: { taskIds: TaskRow["_id"][]; onDone: () => void }) {
  const setCompleted = useMutationState(useSetTasksCompleted());
  const setPriority = useMutationState(useSetTasksPriority());
  const remove = useMutationState(useRemoveTasks());
  const [confirming, setConfirming] = useState(false);
  const tooMany = taskIds.length > MAX_BULK_TASKS;
  const phrase = bulkDeletePhrase(taskIds.length);
  const error = setCompleted.error ?? setPriority.error;
  return (
    <div className="toolbar" role="group" aria-label={`Actions on ${taskIds.length} selected tasks`}>
      <span>
        <strong>{taskIds.length}</strong> selected
      </span>
      <button
        type="button"
        className="button button-small"
        disabled={tooMany || setCompleted.pending}
        onClick={() =>
          void setCompleted.run({ taskIds, completed: true }).then((done) => done.ok && onDone())
        }
      >
        Complete selected
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={tooMany || setCompleted.pending}
        onClick={() =>
          void setCompleted.run({ taskIds, completed: false }).then((done) => done.ok && onDone())
        }
      >
        Reopen selected
      </button>
      <SelectField
        label="Set priority"
        value=""
        allLabel="Choose…"
        options={TASK_PRIORITIES}
        onChange={(priority) => {
          if (priority !== "")
            void setPriority
              .run({ taskIds, priority: priority as TaskPriority })
              .then((done) => done.ok && onDone());
        }}
      />
      <button
        type="button"
        className="button button-small button-danger"
        disabled={tooMany}
        onClick={() => setConfirming(true)}
      >
        Delete selected
      </button>
      {tooMany && <span className="muted">Choose at most {MAX_BULK_TASKS} tasks at a time.</span>}
      {error !== null && <ErrorNotice error={error} title="Could not change the selected tasks" />}
      {confirming && (
        <TypedConfirmDialog
          title={`Delete ${taskIds.length} tasks`}
          consequences={
            <p>The {taskIds.length} selected tasks are deleted for their owners. This cannot be undone.</p>
          }
          confirmText={phrase}
          actionLabel="Delete tasks"
          pending={remove.pending}
          error={
            remove.error !== null ? (
              <ErrorNotice error={remove.error} title="Could not delete the tasks" />
            ) : undefined
          }
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void remove.run({ taskIds, confirmation: phrase }).then((done) => {
              if (done.ok) {
                setConfirming(false);
                onDone();
              }
            })
          }
        />
      )}
    </div>
  );
}
