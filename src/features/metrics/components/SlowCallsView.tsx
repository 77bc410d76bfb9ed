import { createContext, useContext } from "react";
import { FunctionLink } from "@/components/FunctionLink";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { downloadCsv, fileStamp } from "@/lib/csv";
import { countOf, formatCount, formatDuration } from "@/lib/format";
import { useSlowCalls } from "../api";
import { filterSlowCalls, slowCallsCsv, type SlowCall } from "../Metrics.utils";
import { StatusBadge } from "./RequestTimelineDrawer";
import { RANGE_LABELS } from "../search";
import { useUrlSorting, type SlowQueriesViewProps } from "../slowQueriesView";
import { ExportCsvButton } from "@/components/ExportCsvButton";

const callColumn = columnHelperFor<SlowCall>();

const CALL_COLUMN_IDS = [
  "ts",
  "functionPath",
  "functionType",
  "durationMs",
  "dbCalls",
  "docsScanned",
  "correlationId",
  "requestId",
  "status",
];

function nullLast(value: number | null): number {
  return value ?? -1;
}

/** Lets the request-id cells open the timeline without rebuilding the column definitions. */
const OpenRequestContext = createContext<(requestId: string) => void>(() => {});

function RequestIdButton({ requestId }: { requestId: string }) {
  const openRequest = useContext(OpenRequestContext);
  return (
    <button
      type="button"
      className="link-button mono"
      aria-label={`Open the timeline of request ${requestId}`}
      onClick={() => openRequest(requestId)}
    >
      {requestId}
    </button>
  );
}

const CALL_COLUMNS = callColumn.columns([
  callColumn.accessor("ts", {
    header: "Time",
    sortFn: "basic",
    cell: (info) => <Timestamp ms={info.getValue()} />,
  }),
  callColumn.accessor("functionPath", {
    header: "Function",
    sortFn: "text",
    cell: (info) => <FunctionLink functionPath={info.getValue()} />,
  }),
  callColumn.accessor("functionType", { header: "Type", sortFn: "text" }),
  callColumn.accessor("durationMs", {
    header: "Duration",
    sortFn: "basic",
    cell: (info) => <strong>{formatDuration(info.getValue())}</strong>,
  }),
  callColumn.accessor((row) => nullLast(row.dbCalls), {
    id: "dbCalls",
    header: "DB calls",
    sortFn: "basic",
    cell: (info) => formatCount(info.row.original.dbCalls),
  }),
  callColumn.accessor((row) => nullLast(row.docsScanned), {
    id: "docsScanned",
    header: "Docs scanned",
    sortFn: "basic",
    cell: (info) => formatCount(info.row.original.docsScanned),
  }),
  callColumn.accessor((row) => row.correlationId ?? "", {
    id: "correlationId",
    header: "Correlation id",
    sortFn: "text",
    cell: (info) =>
      info.getValue() === "" ? <span className="muted">—</span> : <code>{info.getValue()}</code>,
  }),
  callColumn.accessor("requestId", {
    header: "Request id",
    sortFn: "text",
    cell: (info) => <RequestIdButton requestId={info.getValue()} />,
  }),
  callColumn.accessor("status", {
    header: "Status",
    sortFn: "text",
    cell: (info) => <StatusBadge status={info.getValue()} />,
  }),
]);

export function SlowCallsView({ scope, search, onSearchChange }: SlowQueriesViewProps) {
  const calls = useSlowCalls(scope);
  const [sorting, setSorting] = useUrlSorting(search, onSearchChange, CALL_COLUMN_IDS, {
    id: "ts",
    desc: true,
  });
  const openRequest = (requestId: string) =>
    onSearchChange({ ...search, request: requestId }, { push: true });

  if (calls === undefined) {
    return <SkeletonRows rows={8} label="Loading slow calls…" />;
  }
  const rows = filterSlowCalls(calls, search);
  const filtered = rows.length !== calls.length;
  const current =
    search.request === undefined ? undefined : rows.find((row) => row.requestId === search.request)?._id;

  function exportCsv() {
    downloadCsv(`slow-calls-${scope.deployment}-${fileStamp(new Date())}.csv`, slowCallsCsv(rows));
  }

  return (
    <section aria-label="Slow calls" className="stack">
      <div className="toolbar">
        <span className="muted">
          {countOf(rows.length, "slow call")}
          {filtered && ` of ${calls.length}`} · {RANGE_LABELS[scope.range].toLowerCase()}
          {calls.length >= 500 && " · showing the newest 500, pick a shorter range for older ones"}
        </span>
        <ExportCsvButton rowCount={rows.length} onExport={exportCsv} />
      </div>
      <OpenRequestContext.Provider value={openRequest}>
        <DataTable
          caption={`Slow calls, ${RANGE_LABELS[scope.range].toLowerCase()}. Open a request id to see its timeline.`}
          columns={CALL_COLUMNS}
          data={rows}
          getRowId={(row) => row._id}
          sorting={sorting}
          onSortingChange={setSorting}
          onRowClick={(row) => openRequest(row.requestId)}
          currentRowId={current}
          empty={filtered ? "No slow call matches these filters." : "No slow calls in this range."}
        />
      </OpenRequestContext.Provider>
    </section>
  );
}
