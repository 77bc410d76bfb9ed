import { useId, useState, type FormEvent } from "react";
import { bulkDeletePhrase, MAX_BULK_TASKS, TASK_PRIORITIES, type TaskPriority } from "@convex/tasks/shared";
import { ActionButton } from "@/components/ActionButton";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ExportCsvButton } from "@/components/ExportCsvButton";
import { Page } from "@/components/Page";
import { SelectField } from "@/components/SelectField";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useViewer } from "@/lib/api";
import { downloadCsv, fileStamp } from "@/lib/csv";
import { useMutationState } from "@/lib/useMutationState";
import { viewerHasRole } from "@/lib/viewer";
import {
  useRemoveTasks,
  useSetTasksCompleted,
  useSetTasksPriority,
  useFetchTaskPage,
  useTaskCounts,
  useTaskList,
  type TaskListArgs,
} from "../api";
import { createdSorting, orderFromSorting, TASK_ORDERS, TASK_STATES, type TasksSearch } from "../search";
import {
  collectPages,
  countLabel,
  TASK_EXPORT_CAP,
  hasFilters,
  taskListArgs,
  tasksCsv,
  visibleSelection,
  type TaskRow,
} from "../Tasks.utils";

export const TASKS_PAGE_SIZE = 50;

type TasksPageProps = {
  search: TasksSearch;
  onSearchChange: (next: TasksSearch) => void;
};

/** Every user's tasks: filters in the URL, pages from the server, live counts, operator actions. */
export function TasksPage({ search, onSearchChange }: TasksPageProps) {
  const viewer = useViewer();
  const canAct = viewerHasRole(viewer, "operator");
  return (
    <Page
      title="Tasks"
      description="The app's tasks across all users, live. Operators can complete, reopen, re-prioritise and delete them."
    >
      <TaskFilterBar search={search} onSearchChange={onSearchChange} />
      <ErrorBoundary key={JSON.stringify(search)} title="Could not load the tasks">
        <TaskCounts search={search} />
        <TaskTable search={search} onSearchChange={onSearchChange} canAct={canAct} />
      </ErrorBoundary>
    </Page>
  );
}

function TaskFilterBar({ search, onSearchChange }: TasksPageProps) {
  const ownerId = useId();
  const textId = useId();
  const [draft, setDraft] = useState({ owner: search.owner ?? "", q: search.q ?? "" });
  const [synced, setSynced] = useState({ owner: search.owner, q: search.q });
  // Follow the URL when it changes from outside (back button, pasted link).
  if (synced.owner !== search.owner || synced.q !== search.q) {
    setSynced({ owner: search.owner, q: search.q });
    setDraft({ owner: search.owner ?? "", q: search.q ?? "" });
  }
  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const owner = draft.owner.trim();
    const q = draft.q.trim();
    onSearchChange({ ...search, owner: owner === "" ? undefined : owner, q: q === "" ? undefined : q });
  }
  return (
    <form className="filter-bar" role="search" aria-label="Filter tasks" onSubmit={apply}>
      <div className="field field-inline">
        <label htmlFor={textId}>Text</label>
        <input
          id={textId}
          className="input"
          type="search"
          placeholder="words in the task"
          value={draft.q}
          onChange={(event) => setDraft({ ...draft, q: event.target.value })}
        />
      </div>
      <div className="field field-inline">
        <label htmlFor={ownerId}>Owner email</label>
        <input
          id={ownerId}
          className="input"
          type="email"
          placeholder="exact email"
          value={draft.owner}
          onChange={(event) => setDraft({ ...draft, owner: event.target.value })}
        />
      </div>
      <button type="submit" className="button">
        Apply
      </button>
      <SelectField
        label="State"
        value={search.state ?? ""}
        allLabel="Open and done"
        options={TASK_STATES.map((state) => ({ value: state, label: state === "open" ? "Open" : "Done" }))}
        onChange={(state) =>
          onSearchChange({ ...search, state: state === "" ? undefined : (state as TasksSearch["state"]) })
        }
      />
      <SelectField
        label="Priority"
        value={search.priority ?? ""}
        allLabel="Any priority"
        options={TASK_PRIORITIES}
        onChange={(priority) =>
          onSearchChange({ ...search, priority: priority === "" ? undefined : (priority as TaskPriority) })
        }
      />
      <SelectField
        label="Order"
        value={search.order ?? "newest"}
        options={TASK_ORDERS.map((order) => ({
          value: order,
          label: order === "newest" ? "Newest first" : "Oldest first",
        }))}
        onChange={(order) =>
          onSearchChange({
            ...search,
            order: order === "newest" ? undefined : (order as TasksSearch["order"]),
          })
        }
      />
      {hasFilters(search) && (
        <button type="button" className="link-button" onClick={() => onSearchChange({ order: search.order })}>
          Clear filters
        </button>
      )}
    </form>
  );
}

function TaskCounts({ search }: { search: TasksSearch }) {
  const counts = useTaskCounts({ priority: search.priority, owner: search.owner });
  if (counts === undefined) return <SkeletonRows rows={1} label="Counting tasks…" />;
  return (
    <p className="muted" aria-live="polite">
      <strong>{countLabel(counts.open, counts.cap)}</strong> open ·{" "}
      <strong>{countLabel(counts.done, counts.cap)}</strong> done
      {search.priority !== undefined || search.owner !== undefined ? " for these filters" : ""}
    </p>
  );
}

const column = columnHelperFor<TaskRow>();

/** Columns a phone drops so the task, its state and its actions keep room without sideways scroll. */
const SECONDARY = { className: "col-secondary" };

function taskColumns(
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

const getTaskRowId = (row: TaskRow) => row._id;

/** The whole filtered set as a CSV download, read page by page (up to the export cap). */
function useTaskExport() {
  const fetchPage = useFetchTaskPage();
  const [value, setValue] = useState<{ complete: boolean } | null>(null);
  const state = useMutationState(async (args: TaskListArgs) => {
    setValue(null);
    const { rows, complete } = await collectPages(
      (cursor) => fetchPage(args, cursor, MAX_BULK_TASKS),
      TASK_EXPORT_CAP,
    );
    downloadCsv(`tasks-${fileStamp(new Date())}.csv`, tasksCsv(rows));
    setValue({ complete });
  });
  return { ...state, value };
}

type TaskTableProps = TasksPageProps & { canAct: boolean };

function TaskTable({ search, onSearchChange, canAct }: TaskTableProps) {
  const { results, status, loadMore } = useTaskList(taskListArgs(search), TASKS_PAGE_SIZE);
  const exportCsv = useTaskExport();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  if (status === "LoadingFirstPage") return <SkeletonRows rows={8} label="Loading the tasks…" />;
  const chosen = visibleSelection(selected, results);
  // Text search ranks by relevance, so there is no creation order to switch.
  const textSearch = search.q !== undefined;
  return (
    <section aria-label="Tasks" className="stack">
      <div className="toolbar">
        <span className="muted">
          {results.length} {results.length === 1 ? "task" : "tasks"} loaded
        </span>
        <ExportCsvButton
          rowCount={results.length}
          onExport={() => void exportCsv.run(taskListArgs(search))}
        />
      </div>
      {exportCsv.pending && <p role="status">Collecting the filtered tasks for the export…</p>}
      {exportCsv.error !== null && <ErrorNotice error={exportCsv.error} title="Could not export the tasks" />}
      {exportCsv.value !== null && !exportCsv.value.complete && (
        <p className="muted" role="status">
          The export holds the first {TASK_EXPORT_CAP.toLocaleString("en-US")} tasks of this filter; narrow it
          to export the rest.
        </p>
      )}
      {canAct && chosen.length > 0 && (
        <BulkActions taskIds={chosen as TaskRow["_id"][]} onDone={() => setSelected(new Set())} />
      )}
      <DataTable
        caption="Tasks across all users"
        columns={taskColumns(canAct, textSearch === false, selected, toggle)}
        data={results}
        sorting={textSearch ? [] : createdSorting(search)}
        onSortingChange={(sorting) => onSearchChange({ ...search, order: orderFromSorting(sorting) })}
        getRowId={getTaskRowId}
        empty={
          hasFilters(search) ? (
            "No tasks match these filters."
          ) : (
            <>
              No tasks yet. Tasks appear here as the app's users create them; for demo tasks, run{" "}
              <code>npm run loadgen -- --email &lt;operator's email&gt; --password &lt;password&gt;</code>{" "}
              while <code>npm start</code> runs.
            </>
          )
        }
      />
      <div className="toolbar">
        {status === "CanLoadMore" && (
          <button type="button" className="button" onClick={() => loadMore(TASKS_PAGE_SIZE)}>
            Load more
          </button>
        )}
        {status === "LoadingMore" && <span role="status">Loading more…</span>}
      </div>
    </section>
  );
}

function BulkActions({ taskIds, onDone }: { taskIds: TaskRow["_id"][]; onDone: () => void }) {
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
