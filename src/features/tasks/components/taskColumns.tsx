import { ActionButton } from "@/components/ActionButton";
import { columnHelperFor } from "@/components/DataTable";
import { Timestamp } from "@/components/Timestamp";
import { useRemoveTasks, useSetTasksCompleted } from "../api";
import type { TaskRow } from "../Tasks.utils";

const column = columnHelperFor<TaskRow>();

/** Columns a phone drops so the task, its state and its actions keep room without sideways scroll. */
const SECONDARY = { className: "col-secondary" };

export function taskColumns(
  canAct: boolean,
  sortable: boolean,
  selected: ReadonlySet<string>,
  toggle: (id: string) => void,
) {
  const base = [
    column.accessor("text", {
      header: "Task",
      enableSorting: false,
      cell: (info) => <span className="cell-wrap">{info.getValue()}</span>,
    }),
    column.accessor((row) => (row.completed ? "Done" : "Open"), {
      id: "state",
      header: "State",
      enableSorting: false,
    }),
    column.accessor("priority", { header: "Priority", enableSorting: false, meta: SECONDARY }),
    column.accessor((row) => row.owner ?? "—", {
      id: "owner",
      header: "Owner",
      enableSorting: false,
      meta: SECONDARY,
      cell: (info) => <span className="cell-wrap">{info.getValue()}</span>,
    }),
    column.accessor("createdAt", {
      header: "Created",
      meta: SECONDARY,
      // The server orders by creation time; the header only switches that order.
      enableSorting: sortable,
      sortDescFirst: true,
      cell: (info) => <Timestamp ms={info.getValue()} />,
    }),
  ];
  if (!canAct) return column.columns(base);
  return column.columns([
    column.display({
      id: "select",
      header: "Select",
      cell: (info) => (
        <input
          type="checkbox"
          aria-label={`Select “${info.row.original.text}”`}
          checked={selected.has(info.row.original._id)}
          onChange={() => toggle(info.row.original._id)}
        />
      ),
    }),
    ...base,
    column.display({
      id: "actions",
      header: "Actions",
      cell: (info) => <RowActions task={info.row.original} />,
    }),
  ]);
}

function RowActions({ task }: { task: TaskRow }) {
  const setCompleted = useSetTasksCompleted();
  const remove = useRemoveTasks();
  return (
    <div className="cell-stack">
      <ActionButton
        label={task.completed ? "Reopen" : "Complete"}
        pendingLabel="Saving…"
        accessibleName={`${task.completed ? "Reopen" : "Complete"} “${task.text}”`}
        failureTitle="Could not change the task"
        action={() => setCompleted({ taskIds: [task._id], completed: !task.completed })}
      />
      <ActionButton
        label="Delete"
        pendingLabel="Deleting…"
        accessibleName={`Delete “${task.text}”`}
        failureTitle="Could not delete the task"
        action={() => remove({ taskIds: [task._id] })}
      />
    </div>
  );
}
