import { columnHelperFor, DataTable } from "@/components/DataTable";
import { FunctionLink } from "@/components/FunctionLink";
import { ShareBar } from "@/components/ShareBar";
import { SkeletonRows } from "@/components/Skeleton";
import { downloadCsv, fileStamp } from "@/lib/csv";
import { countOf, formatCount, formatDecimal, formatDuration, formatPercent } from "@/lib/format";
import { useFunctionStats } from "../api";
import { filterFunctionStats, functionStatsCsv, type FunctionStat } from "../Metrics.utils";
import { RANGE_LABELS } from "../search";
import { useUrlSorting, type SlowQueriesViewProps } from "../slowQueriesView";
import { ExportCsvButton } from "@/components/ExportCsvButton";

const fnColumn = columnHelperFor<FunctionStat>();

const FUNCTION_COLUMNS = fnColumn.columns([
  fnColumn.accessor("functionPath", {
    header: "Function",
    sortFn: "text",
    cell: (info) => (
      <span className="cell-inline">
        <FunctionLink functionPath={info.getValue()} />
        <span className="badge">{info.row.original.functionType}</span>
      </span>
    ),
  }),
  fnColumn.accessor("calls", {
    header: "Calls",
    sortFn: "basic",
    cell: (info) => formatCount(info.getValue()),
  }),
  fnColumn.accessor((row) => row.p50Ms ?? -1, {
    id: "p50Ms",
    header: "p50",
    sortFn: "basic",
    cell: (info) => formatDuration(info.row.original.p50Ms),
  }),
  fnColumn.accessor((row) => row.p95Ms ?? -1, {
    id: "p95Ms",
    header: "p95",
    sortFn: "basic",
    cell: (info) => formatDuration(info.row.original.p95Ms),
  }),
  fnColumn.accessor((row) => row.p99Ms ?? -1, {
    id: "p99Ms",
    header: "p99",
    sortFn: "basic",
    cell: (info) => formatDuration(info.row.original.p99Ms),
  }),
  fnColumn.accessor("maxMs", {
    header: "Max",
    sortFn: "basic",
    cell: (info) => formatDuration(info.getValue()),
  }),
  fnColumn.accessor("meanReadDocuments", {
    header: "Mean docs read",
    sortFn: "basic",
    cell: (info) => formatDecimal(info.getValue()),
  }),
  fnColumn.accessor("errorRate", {
    header: "Error rate",
    sortFn: "basic",
    cell: (info) => formatPercent(info.getValue()),
  }),
  fnColumn.accessor("shareOfTime", {
    header: "Share of total time",
    sortFn: "basic",
    cell: (info) => <ShareBar share={info.getValue()} />,
  }),
]);

const FUNCTION_COLUMN_IDS = [
  "functionPath",
  "calls",
  "p50Ms",
  "p95Ms",
  "p99Ms",
  "maxMs",
  "meanReadDocuments",
  "errorRate",
  "shareOfTime",
];

export function FunctionStatsView({ scope, search, onSearchChange }: SlowQueriesViewProps) {
  const stats = useFunctionStats(scope);
  const [sorting, setSorting] = useUrlSorting(search, onSearchChange, FUNCTION_COLUMN_IDS, {
    id: "shareOfTime",
    desc: true,
  });
  if (stats === undefined) {
    return <SkeletonRows rows={8} label="Loading function statistics…" />;
  }
  const rows = filterFunctionStats(stats.functions, search);
  const filtered = rows.length !== stats.functions.length;

  function exportCsv() {
    downloadCsv(`function-stats-${scope.deployment}-${fileStamp(new Date())}.csv`, functionStatsCsv(rows));
  }

  return (
    <section aria-label="Functions" className="stack">
      <div className="toolbar">
        <span className="muted">
          {countOf(rows.length, "function")}
          {filtered && ` of ${stats.functions.length}`} · {RANGE_LABELS[scope.range].toLowerCase()}
          {stats.granularity !== "window" && `, by ${stats.granularity}`}
        </span>
        <ExportCsvButton rowCount={rows.length} onExport={exportCsv} />
      </div>
      {stats.truncated && (
        <p className="notice notice-warning" role="status">
          Too many functions in this range to read at once: the table covers part of it. Pick a shorter range.
        </p>
      )}
      <DataTable
        caption={`Function performance, ${RANGE_LABELS[scope.range].toLowerCase()}`}
        columns={FUNCTION_COLUMNS}
        data={rows}
        getRowId={(row) => row.functionPath}
        sorting={sorting}
        onSortingChange={setSorting}
        empty={filtered ? "No function matches these filters." : "No function calls in this range."}
      />
    </section>
  );
}
