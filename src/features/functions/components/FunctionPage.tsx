import { Link } from "@tanstack/react-router";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { FUNCTION_RANGES, type FunctionRange } from "@convex/functions/shared";
import { ChartFrame } from "@/components/ChartFrame";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { StaticTable, type StaticColumn } from "@/components/StaticTable";
import { Timestamp } from "@/components/Timestamp";
import { useMinute } from "@/lib/clock";
import { formatCount, formatDecimal, formatDuration, formatPercent } from "@/lib/format";
import { useFunctionPage } from "../api";
import { aroundDeployText, codesOf, logsHref, markerBuckets } from "../Functions.utils";
import type { FunctionSearch } from "../search";

type FunctionPageProps = {
  deployment: string;
  functionPath: string;
  search: FunctionSearch;
  onSearchChange: (search: FunctionSearch) => void;
};

const RANGE_TEXT: Record<FunctionRange, string> = {
  "1h": "1 hour",
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
};
const PALETTE = ["#c2410c", "#7c3aed", "#0f766e", "#be123c", "#1d4ed8", "#4d7c0f"];

export function FunctionPage({ deployment, functionPath, search, onSearchChange }: FunctionPageProps) {
  const range = search.range ?? "1h";
  return (
    <Page
      title={functionPath}
      description={
        <>
          On <span className="mono">{deployment}</span>. <a href={logsHref(functionPath)}>Open its logs</a> ·{" "}
          <Link to="/deploys" search={{ deployment }}>
            Deploys
          </Link>
        </>
      }
    >
      <div className="toolbar" role="group" aria-label="Range">
        {(Object.keys(FUNCTION_RANGES) as FunctionRange[]).map((key) => (
          <button
            key={key}
            type="button"
            className={key === range ? "button button-primary" : "button"}
            aria-pressed={key === range}
            onClick={() => onSearchChange({ ...search, range: key })}
          >
            {RANGE_TEXT[key]}
          </button>
        ))}
      </div>
      <ErrorBoundary title="Could not load this function">
        <FunctionContent deployment={deployment} functionPath={functionPath} range={range} />
      </ErrorBoundary>
    </Page>
  );
}

function FunctionContent({
  deployment,
  functionPath,
  range,
}: {
  deployment: string;
  functionPath: string;
  range: FunctionRange;
}) {
  const now = useMinute();
  const page = useFunctionPage(deployment, functionPath, range, now);
  if (page === undefined) return <SkeletonRows rows={6} label="Loading the function…" />;
  if (page.points.length === 0) {
    return <p className="notice notice-info">No calls of this function in the last {RANGE_TEXT[range]}.</p>;
  }
  const { totals } = page;
  const codes = codesOf(page.points);
  const markers = markerBuckets(page.deploys, page.bucketMs);
  const tick = (bucket: number) =>
    new Date(bucket).toLocaleString(
      undefined,
      page.granularity === "minute"
        ? { timeStyle: "short" }
        : { month: "short", day: "numeric", hour: "2-digit" },
    );
  const rows = page.points.map((point) => ({
    ...point,
    ...Object.fromEntries(codes.map((code) => [`code:${code}`, point.failuresByCode[code] ?? 0])),
  }));
  // The charts share their data and their crosshair (syncId), and are drawn for sighted readers only:
  // the figures they show are in the sentences and tables beside them.
  const chartProps = {
    accessibilityLayer: false,
    data: rows,
    syncId: "function",
    margin: { left: 0, right: 8, top: 16 },
  };
  const markerLines = markers.map((bucket) => (
    <ReferenceLine
      key={bucket}
      x={bucket}
      stroke="currentColor"
      strokeDasharray="4 3"
      label={{ value: "deploy", position: "top" }}
    />
  ));
  return (
    <div className="stack-lg">
      <dl className="stat-grid" aria-label="Totals">
        <Stat label="Calls" value={formatCount(totals.calls)} />
        <Stat label="Error rate" value={formatPercent(totals.errorRate)} />
        <Stat label="p50 / p90" value={`${formatDuration(totals.p50Ms)} / ${formatDuration(totals.p90Ms)}`} />
        <Stat label="p95 / p99" value={`${formatDuration(totals.p95Ms)} / ${formatDuration(totals.p99Ms)}`} />
        <Stat label="Documents read per call" value={formatDecimal(totals.meanReadDocuments)} />
        {page.functionType === "query" && (
          <Stat label="Cache hit rate" value={formatPercent(totals.cacheHitRate)} />
        )}
        {page.functionType === "mutation" && (
          <Stat label="OCC failures" value={formatCount(totals.occFailures)} />
        )}
      </dl>
      {page.deploys.length > 0 && (
        <p className="muted">
          {page.deploys.length === 1 ? "1 deploy" : `${page.deploys.length} deploys`} in this range, marked on
          the charts:{" "}
          {page.deploys.map((deploy, index) => (
            <span key={deploy.ts}>
              {index > 0 && ", "}
              <Timestamp ms={deploy.ts} />
            </span>
          ))}
          .
        </p>
      )}
      {page.aroundLastDeploy !== null && (
        <p>
          Around the deploy at <Timestamp ms={page.aroundLastDeploy.ts} />:{" "}
          {aroundDeployText(page.aroundLastDeploy)}.
        </p>
      )}
      <section aria-label="Latency" className="stack">
        <h2>Latency per {page.granularity}</h2>
        <ChartFrame height={220}>
          <LineChart {...chartProps}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="bucket" tickFormatter={tick} minTickGap={24} />
            <YAxis width={48} tickFormatter={(ms: number) => formatDuration(ms)} />
            <Tooltip
              labelFormatter={(bucket) => tick(Number(bucket))}
              formatter={(ms) => formatDuration(Number(ms))}
            />
            {markerLines}
            <Line dataKey="p50Ms" name="p50" dot={false} stroke="#0f766e" isAnimationActive={false} />
            <Line dataKey="p90Ms" name="p90" dot={false} stroke="#1d4ed8" isAnimationActive={false} />
            <Line dataKey="p95Ms" name="p95" dot={false} stroke="#7c3aed" isAnimationActive={false} />
            <Line dataKey="p99Ms" name="p99" dot={false} stroke="#be123c" isAnimationActive={false} />
          </LineChart>
        </ChartFrame>
        <h2>Calls and errors by code</h2>
        <ChartFrame height={180}>
          <BarChart {...chartProps}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="bucket" tickFormatter={tick} minTickGap={24} />
            <YAxis width={48} />
            <Tooltip labelFormatter={(bucket) => tick(Number(bucket))} />
            {markerLines}
            {codes.map((code, index) => (
              <Bar
                key={code}
                dataKey={`code:${code}`}
                name={code}
                stackId="errors"
                fill={PALETTE[index % PALETTE.length]}
                isAnimationActive={false}
              />
            ))}
            {codes.length === 0 && (
              <Bar dataKey="calls" name="calls" fill="#94a3b8" isAnimationActive={false} />
            )}
          </BarChart>
        </ChartFrame>
        <p className="muted">
          {codes.length === 0
            ? "No failures in this range."
            : `Failures by code: ${codes.map((code) => `${code} ${formatCount(totals.failuresByCode[code] ?? 0)}`).join(", ")}.`}
        </p>
      </section>
      <section aria-label="Database reads" className="stack">
        <h2>Documents read per call, per {page.granularity}</h2>
        <ChartFrame height={160}>
          <LineChart {...chartProps}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="bucket" tickFormatter={tick} minTickGap={24} />
            <YAxis width={48} />
            <Tooltip
              labelFormatter={(bucket) => tick(Number(bucket))}
              formatter={(value) => formatDecimal(Number(value))}
            />
            {markerLines}
            <Line
              dataKey="readsPerCall"
              name="documents read per call"
              dot={false}
              stroke="#0f766e"
              isAnimationActive={false}
            />
          </LineChart>
        </ChartFrame>
        <p className="muted">
          {formatDecimal(totals.meanReadDocuments)} documents read per call over the range. {DB_CALLS_NOTE}
        </p>
      </section>
      {page.conflicts !== null && <Conflicts conflicts={page.conflicts} />}
      {page.schedulerLag !== null && <SchedulerLag points={page.schedulerLag} />}
      <section aria-label="Slowest calls" className="stack">
        <h2>Slowest calls</h2>
        {page.slowestCalls.length === 0 ? (
          <p className="muted">No call over the slow threshold in this range.</p>
        ) : (
          <StaticTable
            caption="Slowest calls"
            className={CARDS}
            scroll="Slowest calls table"
            rows={page.slowestCalls}
            rowKey={(call) => call.requestId}
            columns={[
              { header: "When", cell: (call) => <Timestamp ms={call.ts} /> },
              { header: "Duration", cell: (call) => formatDuration(call.durationMs) },
              { header: "Status", cell: (call) => call.status },
              { header: "Documents read", cell: (call) => formatCount(call.readDocuments) },
              {
                header: "Database calls",
                cell: (call) => (call.dbCalls === null ? "not reported" : formatCount(call.dbCalls)),
              },
              { header: "Request", className: "mono", cell: (call) => call.requestId },
            ]}
          />
        )}
      </section>
      <section aria-label="Newest error groups" className="stack">
        <h2>Newest error groups</h2>
        {page.errorGroups.length === 0 ? (
          <p className="muted">This function has no error groups.</p>
        ) : (
          <ul className="stack">
            {page.errorGroups.map((group) => (
              <li key={group.key}>
                <strong>{group.code}</strong> {group.message} — {formatCount(group.count)} failures, last{" "}
                <Timestamp ms={group.lastSeen} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** Convex's log stream counts documents read per call but not database calls. */
const DB_CALLS_NOTE =
  "Database calls per call are not in Convex's log stream; they are known only for the slow calls below whose function logs the operations guide's slow-query line.";

type ConflictCounts = { retries: number; failures: number };
type FunctionConflicts = {
  byTable: Array<ConflictCounts & { table: string }>;
  byDocument: Array<ConflictCounts & { table: string; documentId: string }>;
  truncated: boolean;
};

/** Tables of a function's page turn into cards on a phone. */
const CARDS = "table data-table-cards";
const TABLE_COLUMN: StaticColumn<{ table: string }> = {
  header: "Table",
  className: "mono",
  cell: (row) => row.table,
};
const COUNT_COLUMNS: Array<StaticColumn<ConflictCounts>> = [
  { header: "Retries", cell: (row) => formatCount(row.retries) },
  { header: "Failures", cell: (row) => formatCount(row.failures) },
];

function Conflicts({ conflicts }: { conflicts: FunctionConflicts }) {
  return (
    <section aria-label="Write conflicts" className="stack">
      <h2>Write conflicts (OCC) by table and document</h2>
      {conflicts.byTable.length === 0 ? (
        <p className="muted">
          No write conflicts in this range. (Counted from the log stream&apos;s <code>occ_info</code>: a retry
          is an attempt Convex ran again, a failure the one its caller saw.)
        </p>
      ) : (
        <>
          <StaticTable
            caption="Write conflicts by table"
            className={CARDS}
            scroll="Write conflicts by table"
            rows={conflicts.byTable}
            rowKey={(row) => row.table}
            columns={[TABLE_COLUMN, ...COUNT_COLUMNS]}
          />
          <StaticTable
            caption="Documents with the most write conflicts"
            className={CARDS}
            scroll="Documents with the most write conflicts"
            rows={conflicts.byDocument}
            rowKey={(row) => `${row.table}/${row.documentId}`}
            columns={[
              { header: "Document", className: "mono", cell: (row) => row.documentId },
              TABLE_COLUMN,
              ...COUNT_COLUMNS,
            ]}
          />
          {conflicts.truncated && (
            <p className="muted">Counted from the first 500 hour-by-document rows of this range only.</p>
          )}
        </>
      )}
    </section>
  );
}

function SchedulerLag({ points }: { points: Array<{ bucket: number; maxSeconds: number }> }) {
  const worst = points.reduce((max, point) => Math.max(max, point.maxSeconds), 0);
  return (
    <section aria-label="Scheduler lag" className="stack">
      <h2>Scheduler lag, last hour</h2>
      {points.length === 0 ? (
        <p className="muted">
          This deployment sent no scheduler statistics (<code>scheduler_stats</code>) in the last hour.
        </p>
      ) : (
        <p>
          Highest lag of the deployment&apos;s scheduled jobs in the last hour: {formatCount(worst)} s (
          {formatCount(points.length)} minutes reported).
        </p>
      )}
      <p className="muted">
        Convex reports scheduler lag for the whole deployment; a scheduled run&apos;s own event carries only
        its job id (<code>scheduler_info</code>), so no per-function lag can be shown.
      </p>
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
