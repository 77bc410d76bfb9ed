import { Link } from "@tanstack/react-router";
import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import type { ReactNode } from "react";
import { api } from "../../../convex/_generated/api";
import { ErrorBoundary } from "../../components/ErrorBoundary";
import { Page } from "../../components/Page";
import { SkeletonRows } from "../../components/Skeleton";
import { Timestamp } from "../../components/Timestamp";
import {
  describeSlowThresholds,
  formatCount,
  formatDecimal,
  formatDuration,
  formatPercent,
  formatSeconds,
} from "../../lib/format";
import { formatSince } from "../../lib/time";
import { useNow } from "../../lib/useNow";
import { MetricsScope, type MetricsScopeValue } from "./MetricsScope";
import { RANGE_LABELS, type ScopeSearch } from "./search";
import { emptyPoint, fillBuckets, type SeriesPoint } from "./series";
import { Sparkline } from "./Sparkline";

type Overview = FunctionReturnType<typeof api.metrics.dashboard.overview>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The log stream counts as stale when nothing arrived for this long. */
export const STALE_STREAM_MS = 5 * MINUTE_MS;
const TOP_FUNCTIONS = 5;
const NEWEST_GROUPS = 5;

type OverviewPageProps = {
  search: ScopeSearch;
  onSearchChange: (search: ScopeSearch) => void;
};

export function OverviewPage({ search, onSearchChange }: OverviewPageProps) {
  return (
    <Page title="Overview" description="Health at a glance for the watched deployment, live.">
      <MetricsScope
        search={search}
        onScopeChange={onSearchChange}
        rangeHint="Tiles always show the last hour; the range applies to the lists below."
      >
        {(scope) => (
          <>
            <ErrorBoundary key={`${scope.deployment}|${scope.to}`} title="Could not load the health tiles">
              <Tiles scope={scope} />
            </ErrorBoundary>
            <div className="two-columns">
              <ErrorBoundary
                key={`f|${scope.deployment}|${scope.from}`}
                title="Could not load the slowest functions"
              >
                <SlowestFunctions scope={scope} />
              </ErrorBoundary>
              <ErrorBoundary key={`e|${scope.deployment}|${scope.from}`} title="Could not load error groups">
                <NewestErrorGroups scope={scope} />
              </ErrorBoundary>
            </div>
          </>
        )}
      </MetricsScope>
    </Page>
  );
}

type TileState = "ok" | "alert" | "none";

type TileProps = {
  label: string;
  value: ReactNode;
  state: TileState;
  /** Says what the value is compared against, e.g. "threshold 1%". */
  thresholdText: ReactNode;
  trend?: Array<{ bucket: number; value: number | null }>;
  threshold?: number;
};

const STATE_TEXT: Record<TileState, string> = {
  ok: "✓ Within threshold",
  alert: "⚠ Over threshold",
  none: "",
};

function Tile({ label, value, state, thresholdText, trend, threshold }: TileProps) {
  return (
    <li className={`tile tile-${state}`}>
      <p className="tile-label">{label}</p>
      <p className="tile-value">{value}</p>
      <p className="tile-threshold">
        {state !== "none" && <span className={`tile-flag tile-flag-${state}`}>{STATE_TEXT[state]}</span>}{" "}
        <span className="muted">{thresholdText}</span>
      </p>
      {trend !== undefined && <Sparkline values={trend} threshold={threshold} alert={state === "alert"} />}
    </li>
  );
}

function trendOf(series: SeriesPoint[], pick: (point: SeriesPoint) => number | null) {
  return series.map((point) => ({ bucket: point.bucket, value: pick(point) }));
}

function Tiles({ scope }: { scope: MetricsScopeValue }) {
  const overview = useQuery(api.metrics.dashboard.overview, { deployment: scope.deployment, now: scope.to });
  if (overview === undefined) {
    return <SkeletonRows rows={4} label="Loading the health tiles…" />;
  }
  return <TileGrid overview={overview} now={scope.to} />;
}

function TileGrid({ overview, now }: { overview: Overview; now: number }) {
  const { thresholds } = overview;
  const series = fillBuckets(overview.series, now - HOUR_MS, now, MINUTE_MS, emptyPoint);
  const lag = fillBuckets(overview.schedulerLagSeries, now - HOUR_MS, now, MINUTE_MS, (bucket) => ({
    bucket,
    value: null as number | null,
  }));
  const clock = useNow();
  const sinceLastEvent = overview.lastEventAt === null ? null : clock - overview.lastEventAt;
  const stale = sinceLastEvent === null || sinceLastEvent > STALE_STREAM_MS;
  const p95Alert = overview.p95Ms !== null && overview.p95Ms > thresholds.p95Ms;

  return (
    <section aria-labelledby="tiles-heading" className="stack">
      <h2 id="tiles-heading">Last hour</h2>
      <ul className="tiles" aria-label="Health tiles">
        <Tile
          label="Request rate"
          value={
            <>
              {formatCount(overview.lastMinute.calls)} / min{" "}
              <span className="tile-value-note">last full minute</span>
            </>
          }
          state="none"
          thresholdText={`${formatDecimal(overview.requestsPerMinute)} / min hourly average · no alert threshold`}
          trend={trendOf(series, (point) => point.calls)}
        />
        <Tile
          label="Error rate"
          value={formatPercent(overview.errorRate)}
          state={overview.errorRate > thresholds.errorRate ? "alert" : "ok"}
          thresholdText={`threshold ${formatPercent(thresholds.errorRate)}`}
          trend={trendOf(series, (point) => point.errorRate)}
          threshold={thresholds.errorRate}
        />
        <Tile
          label="p95 latency"
          value={formatDuration(overview.p95Ms)}
          state={overview.p95Ms === null ? "none" : p95Alert ? "alert" : "ok"}
          thresholdText={
            overview.p95Ms === null
              ? "No calls in the last hour"
              : `threshold ${formatDuration(thresholds.p95Ms)}`
          }
          trend={trendOf(series, (point) => point.p95Ms)}
          threshold={thresholds.p95Ms}
        />
        <Tile
          label="OCC share of mutations"
          value={formatPercent(overview.occShare)}
          state={overview.occShare > thresholds.occShare ? "alert" : "ok"}
          thresholdText={`threshold ${formatPercent(thresholds.occShare)}`}
          trend={trendOf(series, (point) => point.occShare)}
          threshold={thresholds.occShare}
        />
        <Tile
          label="Slow calls"
          value={formatCount(overview.slowCallsLastHour)}
          state="none"
          thresholdText={`Calls ${describeSlowThresholds(overview.slowThresholds)}`}
          trend={trendOf(series, (point) => point.slowCalls)}
        />
        <Tile
          label="Scheduler lag"
          value={
            overview.schedulerLagSeconds === null ? "No data" : formatSeconds(overview.schedulerLagSeconds)
          }
          state="none"
          thresholdText={
            overview.schedulerLagSeconds === null ? "No scheduler stats received" : "No alert threshold"
          }
          trend={lag}
        />
        <Tile
          label="Log stream"
          value={
            overview.lastEventAt === null
              ? "No events"
              : `Last event ${formatSince(overview.lastEventAt, clock)}`
          }
          state={stale ? "alert" : "ok"}
          thresholdText={
            <>
              {stale ? "Stale: nothing for over 5 minutes" : "Receiving (stale after 5 minutes)"}
              {overview.lastVerificationAt !== null && (
                <> · verified {formatSince(overview.lastVerificationAt, clock)}</>
              )}
            </>
          }
          trend={trendOf(series, (point) => point.calls)}
        />
        <ChecklistsTile now={now} />
      </ul>
    </section>
  );
}

/** The runbook's recurring checklists for this period, and how many recent periods ended unticked. */
function ChecklistsTile({ now }: { now: number }) {
  const summary = useQuery(api.runbooks.board.summary, { now });
  if (summary === undefined) {
    return (
      <li className="tile tile-none">
        <p className="tile-label">Checklists</p>
        <SkeletonRows rows={2} label="Loading the checklists…" />
      </li>
    );
  }
  const progress = summary.current.map((checklist) => (
    <span key={checklist.templateId}>
      {checklist.title.replace(/ maintenance$/, "")}{" "}
      {checklist.total === null ? "not started" : `${checklist.ticked}/${checklist.total}`}
    </span>
  ));
  return (
    <Tile
      label="Checklists"
      value={
        <Link to="/runbooks" className="tile-link">
          {progress.length === 0 ? "No checklists yet" : progress}
        </Link>
      }
      state={summary.overdueRuns > 0 ? "alert" : "ok"}
      thresholdText={`${summary.overdueRuns} overdue in recent periods · ${summary.openOnDemand} on-demand open`}
    />
  );
}

function SlowestFunctions({ scope }: { scope: MetricsScopeValue }) {
  const stats = useQuery(api.metrics.dashboard.functionStats, {
    deployment: scope.deployment,
    from: scope.from,
    to: scope.to,
  });
  const heading = `Slowest functions · ${RANGE_LABELS[scope.range].toLowerCase()}`;
  if (stats === undefined) {
    return <SkeletonRows rows={5} label="Loading the slowest functions…" />;
  }
  const top = [...stats.functions].sort((a, b) => (b.p95Ms ?? -1) - (a.p95Ms ?? -1)).slice(0, TOP_FUNCTIONS);
  return (
    <section aria-labelledby="slowest-heading" className="stack card">
      <div className="toolbar">
        <h2 id="slowest-heading">{heading}</h2>
        <Link
          to="/slow-queries"
          search={{ deployment: scope.deployment, range: scope.range === "1h" ? undefined : scope.range }}
        >
          All functions
        </Link>
      </div>
      {top.length === 0 ? (
        <p className="muted">No function calls in this range.</p>
      ) : (
        <table className="data-table compact-table">
          <caption className="visually-hidden">Top {TOP_FUNCTIONS} functions by p95 latency</caption>
          <thead>
            <tr>
              <th scope="col">Function</th>
              <th scope="col">p95</th>
              <th scope="col">Calls</th>
            </tr>
          </thead>
          <tbody>
            {top.map((row) => (
              <tr key={row.functionPath}>
                <td>
                  <Link
                    to="/slow-queries"
                    search={{
                      deployment: scope.deployment,
                      range: scope.range === "1h" ? undefined : scope.range,
                      view: "calls",
                      fn: row.functionPath,
                    }}
                    aria-label={`Slow calls of ${row.functionPath}`}
                  >
                    <code>{row.functionPath}</code>
                  </Link>
                </td>
                <td>{formatDuration(row.p95Ms)}</td>
                <td>{formatCount(row.calls)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewestErrorGroups({ scope }: { scope: MetricsScopeValue }) {
  const answer = useQuery(api.metrics.dashboard.errorGroups, {
    deployment: scope.deployment,
    from: scope.from,
    to: scope.to,
  });
  if (answer === undefined) {
    return <SkeletonRows rows={5} label="Loading error groups…" />;
  }
  const newest = answer.groups.slice(0, NEWEST_GROUPS);
  return (
    <section aria-labelledby="groups-heading" className="stack card">
      <div className="toolbar">
        <h2 id="groups-heading">Newest error groups · {RANGE_LABELS[scope.range].toLowerCase()}</h2>
        <Link
          to="/errors"
          search={{ deployment: scope.deployment, range: scope.range === "1h" ? undefined : scope.range }}
        >
          All errors
        </Link>
      </div>
      {newest.length === 0 ? (
        <p className="muted">No failures in this range.</p>
      ) : (
        <ul className="group-list">
          {newest.map((group) => (
            <li key={group.groupId}>
              <p>
                <Link
                  to="/errors"
                  search={{
                    deployment: scope.deployment,
                    range: scope.range === "1h" ? undefined : scope.range,
                    errorCode: group.code,
                  }}
                >
                  <code className="error-code">{group.code}</code>
                </Link>{" "}
                <code>{group.functionPath}</code> · {formatCount(group.count)}×
              </p>
              <p className="group-message">{group.message}</p>
              <p className="muted">
                Last seen <Timestamp ms={group.lastSeen} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
