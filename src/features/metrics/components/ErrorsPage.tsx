import { createContext, useContext, useId } from "react";
import { FunctionLink, FunctionLinkScope } from "@/components/FunctionLink";
import { ERROR_CODES } from "@convex/metrics/shared";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { StaticTable } from "@/components/StaticTable";
import { ShareBar } from "@/components/ShareBar";
import { Timestamp } from "@/components/Timestamp";
import { downloadCsv, fileStamp } from "@/lib/csv";
import { formatCount, formatPercent } from "@/lib/format";
import { useDeployMarkers, useErrorGroups, useErrorSeries, useFunctionStats } from "../api";
import { ErrorRateChart } from "./ErrorRateChart";
import { MetricsScope, type MetricsScopeValue } from "./MetricsScope";
import { ErrorGroupCallsDrawer } from "./ErrorGroupCallsDrawer";
import { errorChartSummary, errorGroupsCsv, failuresByFunction, type ErrorGroup } from "../Metrics.utils";
import { RequestTimelineDrawer } from "./RequestTimelineDrawer";
import { RANGE_LABELS, RANGE_MS, type ErrorsSearch, type SearchChange } from "../search";
import { emptyPoint, fillBuckets, formatBucketLabel, type SeriesPoint } from "../series";
import { SelectField } from "@/components/SelectField";
import { ExportCsvButton } from "@/components/ExportCsvButton";

type ErrorsPageProps = {
  search: ErrorsSearch;
  onSearchChange: SearchChange<ErrorsSearch>;
};

type ContentProps = ErrorsPageProps & { scope: MetricsScopeValue };

export function ErrorsPage({ search, onSearchChange }: ErrorsPageProps) {
  return (
    <Page
      title="Errors"
      description="Failures over time by error code, which functions fail, and the error groups."
    >
      <MetricsScope
        search={search}
        onScopeChange={(scope) =>
          onSearchChange({ ...search, ...scope, group: undefined, request: undefined })
        }
      >
        {(scope) => (
          <FunctionLinkScope deployment={scope.deployment}>
            <ErrorsContent scope={scope} search={search} onSearchChange={onSearchChange} />
          </FunctionLinkScope>
        )}
      </MetricsScope>
    </Page>
  );
}

function ErrorsContent({ scope, search, onSearchChange }: ContentProps) {
  const argsKey = `${scope.deployment}|${scope.from}|${scope.to}`;
  const code = search.errorCode;
  const codes: string[] = [...ERROR_CODES];
  if (code !== undefined && !codes.includes(code)) codes.push(code);
  return (
    <div className="stack-lg">
      <form
        className="filter-bar"
        role="search"
        aria-label="Filter errors"
        onSubmit={(event) => event.preventDefault()}
      >
        <SelectField
          label="Error code"
          value={code ?? ""}
          allLabel="All codes"
          options={codes}
          onChange={(next) => onSearchChange({ ...search, errorCode: next === "" ? undefined : next })}
        />
        {code !== undefined && (
          <button
            type="button"
            className="link-button"
            onClick={() => onSearchChange({ ...search, errorCode: undefined })}
          >
            Clear filter
          </button>
        )}
      </form>
      <ErrorBoundary key={`chart|${argsKey}`} title="Could not load the error chart">
        <ErrorChartSection scope={scope} code={code} />
      </ErrorBoundary>
      <ErrorBoundary key={`functions|${argsKey}`} title="Could not load failures by function">
        <FailuresByFunction scope={scope} code={code} />
      </ErrorBoundary>
      <ErrorBoundary key={`groups|${argsKey}|${code ?? ""}`} title="Could not load error groups">
        <ErrorGroupsSection scope={scope} search={search} onSearchChange={onSearchChange} />
      </ErrorBoundary>
      {search.request !== undefined ? (
        <RequestTimelineDrawer
          deployment={scope.deployment}
          requestId={search.request}
          onClose={() => onSearchChange({ ...search, request: undefined })}
        />
      ) : (
        search.group !== undefined && (
          <ErrorGroupCallsDrawer
            scope={scope}
            group={search.group}
            onOpenRequest={(requestId) => onSearchChange({ ...search, request: requestId }, { push: true })}
            onClose={() => onSearchChange({ ...search, group: undefined })}
          />
        )
      )}
    </div>
  );
}

function ErrorChartSection({ scope, code }: { scope: MetricsScopeValue; code: string | undefined }) {
  const series = useErrorSeries(scope);
  const deploys = useDeployMarkers(scope);
  const headingId = useId();
  if (series === undefined) {
    return <SkeletonRows rows={6} label="Loading the error chart…" />;
  }
  const points = fillBuckets(series.points, scope.from, scope.to, series.bucketMs, emptyPoint);
  const { byCode, failures, summary } = errorChartSummary(
    points,
    code,
    RANGE_LABELS[scope.range].toLowerCase(),
  );
  return (
    <section aria-labelledby={headingId} className="stack card">
      <h2 id={headingId}>
        Error rate over time{code !== undefined && <> · {code}</>}{" "}
        <span className="muted heading-note">per {series.granularity}, stacked by error code</span>
      </h2>
      <p className="chart-summary">{summary}</p>
      {failures > 0 && (
        <>
          <ErrorRateChart
            points={points}
            codes={byCode.map((entry) => entry.code)}
            rangeMs={RANGE_MS[scope.range]}
            deploys={deploys ?? []}
          />
          <details>
            <summary>Show the chart's data as a table</summary>
            <StaticTable
              caption={`Failures per ${series.granularity} by error code`}
              rows={points.filter((point) => point.failures > 0)}
              rowKey={(point) => String(point.bucket)}
              columns={[
                { header: "Time", cell: (point) => formatBucketLabel(point.bucket) },
                { header: "Calls", cell: (point) => formatCount(point.calls) },
                ...byCode.map((entry) => ({
                  header: entry.code,
                  cell: (point: SeriesPoint) => formatCount(point.failuresByCode[entry.code] ?? 0),
                })),
              ]}
            />
          </details>
        </>
      )}
    </section>
  );
}

function FailuresByFunction({ scope, code }: { scope: MetricsScopeValue; code: string | undefined }) {
  const stats = useFunctionStats(scope);
  if (stats === undefined) {
    return <SkeletonRows rows={4} label="Loading failures by function…" />;
  }
  const failing = failuresByFunction(stats.functions, code);
  const total = failing.reduce((sum, row) => sum + row.failures, 0);
  const rangeLabel = RANGE_LABELS[scope.range].toLowerCase();
  return (
    <section aria-labelledby="failing-heading" className="stack card">
      <h2 id="failing-heading">Failures by function{code !== undefined && <> · {code}</>}</h2>
      {failing.length === 0 ? (
        <p className="muted">
          {code === undefined
            ? `No function failed ${rangeLabel}.`
            : `No function failed with ${code} ${rangeLabel}.`}
        </p>
      ) : (
        <StaticTable
          caption={`Failures by function${code !== undefined ? ` with ${code}` : ""}, most first`}
          scroll="Failing functions table"
          rows={failing}
          rowKey={(row) => row.functionPath}
          columns={[
            {
              header: "Function",
              cell: (row) => (
                <>
                  <code>{row.functionPath}</code> <span className="badge">{row.functionType}</span>
                </>
              ),
            },
            { header: "Failures", cell: (row) => formatCount(row.failures) },
            { header: "Calls", cell: (row) => formatCount(row.calls) },
            { header: "Error rate", cell: (row) => formatPercent(row.errorRate) },
            { header: "Share of failures", cell: (row) => <ShareBar share={row.failures / total} /> },
          ]}
        />
      )}
    </section>
  );
}

/** What the group cells need to open a group's failing calls and its last request. */
const GroupActionsContext = createContext<{
  openGroup: (groupId: string) => void;
  openRequest: (id: string) => void;
}>({
  openGroup: () => {},
  openRequest: () => {},
});

function GroupActions({ group }: { group: ErrorGroup }) {
  const { openGroup, openRequest } = useContext(GroupActionsContext);
  return (
    <span className="cell-actions">
      <button
        type="button"
        className="link-button"
        aria-label={`Failing calls of ${group.code} in ${group.functionPath}`}
        onClick={() => openGroup(group.groupId)}
      >
        Failing calls
      </button>
      <button
        type="button"
        className="link-button"
        aria-label={`Open the timeline of the last ${group.code} in ${group.functionPath}`}
        onClick={() => openRequest(group.lastRequestId)}
      >
        Last request
      </button>
    </span>
  );
}

const groupColumn = columnHelperFor<ErrorGroup>();

const GROUP_COLUMNS = groupColumn.columns([
  groupColumn.display({
    id: "actions",
    header: "Calls",
    cell: (info) => <GroupActions group={info.row.original} />,
  }),
  groupColumn.accessor("count", {
    header: "Count",
    sortFn: "basic",
    cell: (info) => formatCount(info.getValue()),
  }),
  groupColumn.accessor("code", {
    header: "Code",
    sortFn: "text",
    cell: (info) => <code className="error-code">{info.getValue()}</code>,
  }),
  groupColumn.accessor("functionPath", {
    header: "Function",
    sortFn: "text",
    cell: (info) => <FunctionLink functionPath={info.getValue()} />,
  }),
  groupColumn.accessor("sampleMessage", {
    header: "Message",
    enableSorting: false,
    cell: (info) => (
      <span className="group-message" title={info.getValue()}>
        {info.getValue()}
      </span>
    ),
  }),
  groupColumn.accessor("firstSeen", {
    header: "First seen",
    sortFn: "basic",
    cell: (info) => <Timestamp ms={info.getValue()} />,
  }),
  groupColumn.accessor("lastSeen", {
    header: "Last seen",
    sortFn: "basic",
    cell: (info) => <Timestamp ms={info.getValue()} />,
  }),
]);

function ErrorGroupsSection({ scope, search, onSearchChange }: ContentProps) {
  const code = search.errorCode;
  const answer = useErrorGroups(scope, code);
  if (answer === undefined) {
    return <SkeletonRows rows={6} label="Loading error groups…" />;
  }
  const { groups, truncated } = answer;
  const rangeLabel = RANGE_LABELS[scope.range].toLowerCase();

  function exportCsv(rows: ErrorGroup[]) {
    downloadCsv(`error-groups-${scope.deployment}-${fileStamp(new Date())}.csv`, errorGroupsCsv(rows));
  }

  return (
    <section aria-labelledby="error-groups-heading" className="stack">
      <div className="toolbar">
        <h2 id="error-groups-heading">Error groups</h2>
        <ExportCsvButton rowCount={groups.length} onExport={() => exportCsv(groups)} />
      </div>
      <p className="muted">
        Counts, first and last seen are for {rangeLabel}
        {code !== undefined && <>, {code} only</>}.
      </p>
      {truncated && (
        <p className="notice notice-warning" role="status">
          This range holds more error groups than one page shows: these are the {groups.length} seen most
          recently. Pick a shorter range or an error code to see the rest.
        </p>
      )}
      <GroupActionsContext.Provider
        value={{
          openGroup: (groupId) => onSearchChange({ ...search, group: groupId }, { push: true }),
          openRequest: (requestId) => onSearchChange({ ...search, request: requestId }, { push: true }),
        }}
      >
        <DataTable
          caption={`Error groups seen ${rangeLabel}, by last seen`}
          columns={GROUP_COLUMNS}
          data={groups}
          getRowId={(row) => row.groupId}
          initialSorting={[{ id: "lastSeen", desc: true }]}
          empty={code !== undefined ? `No ${code} failures ${rangeLabel}.` : `No failures ${rangeLabel}.`}
        />
      </GroupActionsContext.Provider>
    </section>
  );
}
