import { useState } from "react";
import { MAX_BULK_TASKS } from "@convex/tasks/shared";
import { DataTable } from "@/components/DataTable";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ExportCsvButton } from "@/components/ExportCsvButton";
import { LoadMore } from "@/components/LoadMore";
import { countOf } from "@/lib/format";
import { SkeletonRows } from "@/components/Skeleton";
import { downloadCsv, fileStamp } from "@/lib/csv";
import { useMutationState } from "@/lib/useMutationState";
import { useFetchTaskPage, useTaskList, type TaskListArgs } from "../api";
import { createdSorting, orderFromSorting, type TasksSearch } from "../search";
import {
  collectPages,
  hasFilters,
  TASK_EXPORT_CAP,
  taskListArgs,
  tasksCsv,
  visibleSelection,
  type TaskRow,
} from "../Tasks.utils";
import { BulkActions } from "./BulkActions";
import { taskColumns } from "./taskColumns";

const TASKS_PAGE_SIZE = 50;

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

type TaskTableProps = {
  search: TasksSearch;
  onSearchChange: (next: TasksSearch) => void;
  canAct: boolean;
};

/** The filtered tasks a page at a time, with the CSV export and, for operators, selection. */
export function TaskTable({ search, onSearchChange, canAct }: TaskTableProps) {
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
        <span className="muted">{countOf(results.length, "task")} loaded</span>
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
      <LoadMore status={status} onLoadMore={() => loadMore(TASKS_PAGE_SIZE)} />
    </section>
  );
}
