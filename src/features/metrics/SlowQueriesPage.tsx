import type { FunctionReturnType } from "convex/server";
import {
  createContext,
  useContext,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { api } from "@convex/_generated/api";
import { columnHelperFor, DataTable, type SortingState } from "@/components/DataTable";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { ShareBar } from "@/components/ShareBar";
import { Timestamp } from "@/components/Timestamp";
import { downloadCsv, toCsv } from "@/lib/csv";
import {
  describeSlowThresholds,
  formatCount,
  formatDecimal,
  formatDuration,
  formatPercent,
} from "@/lib/format";
import { formatIso } from "@/lib/time";
import { useConsoleSettings, useFunctionStats, useSlowCalls } from "./api";
import { MetricsScope, type MetricsScopeValue } from "./MetricsScope";
import { RequestTimelineDrawer, StatusBadge } from "./RequestTimelineDrawer";
import {
  FUNCTION_TYPES,
  RANGE_LABELS,
  readSort,
  SLOW_VIEWS,
  writeSort,
  type FunctionType,
  type SearchChange,
  type SlowQueriesSearch,
  type SlowView,
} from "./search";
import { SelectField } from "@/components/SelectField";

type SlowQueriesPageProps = {
  search: SlowQueriesSearch;
  onSearchChange: SearchChange<SlowQueriesSearch>;
};

type FunctionStat = FunctionReturnType<typeof api.metrics.dashboard.functionStats>["functions"][number];
type SlowCall = FunctionReturnType<typeof api.metrics.dashboard.slowCalls>[number];

function SlowQueriesDescription() {
  const settings = useConsoleSettings();
  const rule =
    settings === undefined
      ? "the slow thresholds"
      : describeSlowThresholds({
          durationMs: settings.values.slowDurationMs,
          dbCalls: settings.values.slowDbCalls,
          docsScanned: settings.values.slowDocsScanned,
        });
  return <>Which functions take the time, and every call {rule} (thresholds are in Settings).</>;
}

const VIEW_LABELS: Record<SlowView, string> = { functions: "By function", calls: "Slow calls" };

export function SlowQueriesPage({ search, onSearchChange }: SlowQueriesPageProps) {
  return (
    <Page title="Slow queries" description={<SlowQueriesDescription />}>
      <MetricsScope
        search={search}
        onScopeChange={(scope) => onSearchChange({ ...search, ...scope, request: undefined })}
      >
        {(scope) => <SlowQueriesContent scope={scope} search={search} onSearchChange={onSearchChange} />}
      </MetricsScope>
    </Page>
  );
}

type ContentProps = SlowQueriesPageProps & { scope: MetricsScopeValue };

function SlowQueriesContent({ scope, search, onSearchChange }: ContentProps) {
  const view = search.view ?? "functions";
  const tabIds = { functions: useId(), calls: useId() };
  const panelId = useId();
  const tabRefs = useRef<Record<SlowView, HTMLButtonElement | null>>({ functions: null, calls: null });

  function selectView(next: SlowView) {
    onSearchChange({ ...search, view: next === "functions" ? undefined : next, sort: undefined });
    tabRefs.current[next]?.focus();
  }

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    const index = SLOW_VIEWS.indexOf(view);
    const next =
      SLOW_VIEWS[(index + (event.key === "ArrowRight" ? 1 : SLOW_VIEWS.length - 1)) % SLOW_VIEWS.length]!;
    selectView(next);
  }

  const argsKey = `${scope.deployment}|${scope.from}|${scope.to}`;
  return (
    <div className="stack">
      <div className="tabs" role="tablist" aria-label="Slow queries views" onKeyDown={onTabKey}>
        {SLOW_VIEWS.map((candidate) => (
          <button
            key={candidate}
            ref={(element) => {
              tabRefs.current[candidate] = element;
            }}
            id={tabIds[candidate]}
            type="button"
            role="tab"
            className="tab"
            aria-selected={candidate === view}
            aria-controls={panelId}
            tabIndex={candidate === view ? 0 : -1}
            onClick={() => selectView(candidate)}
          >
            {VIEW_LABELS[candidate]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={tabIds[view]} className="stack">
        <SlowFilterBar search={search} onSearchChange={onSearchChange} />
        <ErrorBoundary key={`${view}|${argsKey}`} title={`Could not load ${VIEW_LABELS[view].toLowerCase()}`}>
          {view === "functions" ? (
            <FunctionsView scope={scope} search={search} onSearchChange={onSearchChange} />
          ) : (
            <CallsView scope={scope} search={search} onSearchChange={onSearchChange} />
          )}
        </ErrorBoundary>
      </div>
      {search.request !== undefined && (
        <RequestTimelineDrawer
          deployment={scope.deployment}
          requestId={search.request}
          onClose={() => onSearchChange({ ...search, request: undefined })}
        />
      )}
    </div>
  );
}

function SlowFilterBar({ search, onSearchChange }: SlowQueriesPageProps) {
  const fnId = useId();
  const minId = useId();
  const [fnDraft, setFnDraft] = useState(search.fn ?? "");
  const [minDraft, setMinDraft] = useState(search.minMs?.toString() ?? "");
  const [synced, setSynced] = useState({ fn: search.fn, minMs: search.minMs });
  // Follow the URL when it changes from outside (back button, pasted link, a link from another page).
  if (synced.fn !== search.fn || synced.minMs !== search.minMs) {
    setSynced({ fn: search.fn, minMs: search.minMs });
    setFnDraft(search.fn ?? "");
    setMinDraft(search.minMs?.toString() ?? "");
  }
  const view = search.view ?? "functions";

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fn = fnDraft.trim();
    const minMs = Number(minDraft);
    onSearchChange({
      ...search,
      fn: fn === "" ? undefined : fn,
      minMs: minDraft.trim() !== "" && Number.isFinite(minMs) && minMs > 0 ? minMs : undefined,
    });
  }

  const filtered = search.fn !== undefined || search.type !== undefined || search.minMs !== undefined;
  return (
    <form className="filter-bar" role="search" aria-label="Filter slow queries" onSubmit={apply}>
      <div className="field field-inline">
        <label htmlFor={fnId}>Function</label>
        <input
          id={fnId}
          className="input"
          type="search"
          placeholder="part of the path, e.g. tasks:list"
          value={fnDraft}
          onChange={(event) => setFnDraft(event.target.value)}
        />
      </div>
      <div className="field field-inline">
        <label htmlFor={minId}>{view === "functions" ? "Minimum p95 (ms)" : "Minimum duration (ms)"}</label>
        <input
          id={minId}
          className="input input-number"
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          value={minDraft}
          onChange={(event) => setMinDraft(event.target.value)}
        />
      </div>
      <button type="submit" className="button">
        Apply
      </button>
      <SelectField
        label="Type"
        value={search.type ?? ""}
        allLabel="All types"
        options={FUNCTION_TYPES}
        onChange={(type) =>
          onSearchChange({ ...search, type: type === "" ? undefined : (type as FunctionType) })
        }
      />
      {filtered && (
        <button
          type="button"
          className="link-button"
          onClick={() => onSearchChange({ ...search, fn: undefined, type: undefined, minMs: undefined })}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}

function matchesFunction(search: SlowQueriesSearch, functionPath: string, functionType: string): boolean {
  return (
    (search.fn === undefined || functionPath.toLowerCase().includes(search.fn.toLowerCase())) &&
    (search.type === undefined || functionType === search.type)
  );
}

function useUrlSorting(
  search: SlowQueriesSearch,
  onSearchChange: SearchChange<SlowQueriesSearch>,
  columnIds: readonly string[],
  fallback: { id: string; desc: boolean },
): [SortingState, (sorting: SortingState) => void] {
  const sorting = [readSort(search.sort, columnIds) ?? fallback];
  return [sorting, (next) => onSearchChange({ ...search, sort: writeSort(next[0]) })];
}

function fileStamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/:/g, "");
}

// Per-function view ---------------------------------------------------------------------------

const fnColumn = columnHelperFor<FunctionStat>();

const FUNCTION_COLUMNS = fnColumn.columns([
  fnColumn.accessor("functionPath", {
    header: "Function",
    sortFn: "text",
    cell: (info) => (
      <span className="cell-inline">
        <code>{info.getValue()}</code>
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

function FunctionsView({ scope, search, onSearchChange }: ContentProps) {
  const stats = useFunctionStats(scope);
  const [sorting, setSorting] = useUrlSorting(search, onSearchChange, FUNCTION_COLUMN_IDS, {
    id: "shareOfTime",
    desc: true,
  });
  if (stats === undefined) {
    return <SkeletonRows rows={8} label="Loading function statistics…" />;
  }
  const rows = stats.functions.filter(
    (row) =>
      matchesFunction(search, row.functionPath, row.functionType) &&
      (search.minMs === undefined || (row.p95Ms ?? 0) >= search.minMs),
  );
  const filtered = rows.length !== stats.functions.length;

  function exportCsv() {
    downloadCsv(
      `function-stats-${scope.deployment}-${fileStamp()}.csv`,
      toCsv(
        [
          "function",
          "type",
          "calls",
          "p50_ms",
          "p95_ms",
          "p99_ms",
          "max_ms",
          "mean_ms",
          "mean_docs_read",
          "error_rate",
          "share_of_time",
        ],
        rows.map((row) => [
          row.functionPath,
          row.functionType,
          row.calls,
          row.p50Ms,
          row.p95Ms,
          row.p99Ms,
          row.maxMs,
          row.meanMs,
          row.meanReadDocuments,
          row.errorRate,
          row.shareOfTime,
        ]),
      ),
    );
  }

  return (
    <section aria-label="Functions" className="stack">
      <div className="toolbar">
        <span className="muted">
          {rows.length} {rows.length === 1 ? "function" : "functions"}
          {filtered && ` of ${stats.functions.length}`} · {RANGE_LABELS[scope.range].toLowerCase()}, by{" "}
          {stats.granularity}
        </span>
        <button
          type="button"
          className="button button-small"
          disabled={rows.length === 0}
          onClick={exportCsv}
        >
          Export CSV
        </button>
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

// Slow-calls view -----------------------------------------------------------------------------

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
    cell: (info) => <code>{info.getValue()}</code>,
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

function CallsView({ scope, search, onSearchChange }: ContentProps) {
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
  const rows = calls.filter(
    (row) =>
      matchesFunction(search, row.functionPath, row.functionType) &&
      (search.minMs === undefined || row.durationMs >= search.minMs),
  );
  const filtered = rows.length !== calls.length;
  const current =
    search.request === undefined ? undefined : rows.find((row) => row.requestId === search.request)?._id;

  function exportCsv() {
    downloadCsv(
      `slow-calls-${scope.deployment}-${fileStamp()}.csv`,
      toCsv(
        [
          "time",
          "function",
          "type",
          "duration_ms",
          "db_calls",
          "docs_scanned",
          "read_documents",
          "correlation_id",
          "request_id",
          "status",
        ],
        rows.map((row) => [
          formatIso(row.ts),
          row.functionPath,
          row.functionType,
          row.durationMs,
          row.dbCalls,
          row.docsScanned,
          row.readDocuments,
          row.correlationId,
          row.requestId,
          row.status,
        ]),
      ),
    );
  }

  return (
    <section aria-label="Slow calls" className="stack">
      <div className="toolbar">
        <span className="muted">
          {rows.length} slow {rows.length === 1 ? "call" : "calls"}
          {filtered && ` of ${calls.length}`} · {RANGE_LABELS[scope.range].toLowerCase()}
          {calls.length >= 500 && " · showing the newest 500, pick a shorter range for older ones"}
        </span>
        <button
          type="button"
          className="button button-small"
          disabled={rows.length === 0}
          onClick={exportCsv}
        >
          Export CSV
        </button>
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
