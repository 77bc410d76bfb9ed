import { Link } from "@tanstack/react-router";
import type { ComponentType, ReactNode } from "react";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useNow } from "@/lib/clock";
import {
  describeSlowThresholds,
  formatCount,
  formatDecimal,
  formatDuration,
  formatPercent,
  formatSeconds,
} from "@/lib/format";
import { formatRelative } from "@/lib/time";
import { RANGE_LABELS, type RangeKey } from "@/lib/timeRange";
import { useChecklistSummary, useErrorGroups, useFunctionStats, useOverviewTiles } from "../api";
import {
  checklistShortTitle,
  hourTrend,
  slowestFunctions,
  STALE_WINDOW_TEXT,
  tileStates,
  type Overview,
  type TileState,
  type TrendPoint,
} from "../Overview.utils";
import { BackupRpoTile } from "./BackupRpoTile";
import { Sparkline } from "./Sparkline";
import { UsageTile } from "./UsageTile";

const TOP_FUNCTIONS = 5;
const NEWEST_GROUPS = 5;

type OverviewSearch = { deployment?: string; range?: RangeKey };

/** The deployment and range the page shows, as the scope picker resolved them. */
type OverviewScope = { deployment: string; range: RangeKey; from: number; to: number };

/**
 * The deployment and range picker the metrics pages share. The route passes it in, so Overview
 * composes it without importing another feature.
 */
type ScopePicker = ComponentType<{
  search: OverviewSearch;
  onScopeChange: (search: OverviewSearch) => void;
  rangeHint?: ReactNode;
  children: (scope: OverviewScope) => ReactNode;
}>;

type OverviewPageProps = {
  search: OverviewSearch;
  onSearchChange: (search: OverviewSearch) => void;
  ScopePicker: ScopePicker;
};

export function OverviewPage({ search, onSearchChange, ScopePicker }: OverviewPageProps) {
  return (
    <Page title="Overview" description="Health at a glance for the watched deployment, live.">
      <ScopePicker
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
      </ScopePicker>
    </Page>
  );
}

type TileProps = {
  label: string;
  value: ReactNode;
  state: TileState;
  /** Says what the value is compared against, e.g. "threshold 1%". */
  thresholdText: ReactNode;
  trend?: TrendPoint[];
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

function Tiles({ scope }: { scope: OverviewScope }) {
  const overview = useOverviewTiles(scope.deployment, scope.to);
  if (overview === undefined) {
    return <SkeletonRows rows={4} label="Loading the health tiles…" />;
  }
  return <TileGrid overview={overview} now={scope.to} />;
}

function TileGrid({ overview, now }: { overview: Overview; now: number }) {
  const { thresholds } = overview;
  const clock = useNow();
  const states = tileStates(overview, clock);
  const trend = (pick: (point: Overview["series"][number]) => number | null, whenEmpty: number | null = 0) =>
    hourTrend(overview.series, now, pick, whenEmpty);
  const lag = hourTrend(overview.schedulerLagSeries, now, (point) => point.value, null);

  return (
    <section aria-labelledby="tiles-heading" className="stack">
      <h2 id="tiles-heading">Last hour</h2>
      <ul className="tiles" aria-label="Health tiles">
        <Tile
          label="Request rate"
          value={
            <>
              {formatDecimal(overview.recentRate.perMinute)} / min{" "}
              <span className="tile-value-note">
                last {Math.round((overview.recentRate.to - overview.recentRate.from) / 60_000)} minutes
              </span>
            </>
          }
          state="none"
          thresholdText={`${formatDecimal(overview.requestsPerMinute)} / min hourly average · no alert threshold`}
          trend={trend((point) => point.calls)}
        />
        <Tile
          label="Error rate"
          value={formatPercent(overview.errorRate)}
          state={states.errorRate}
          thresholdText={
            states.errorRate === "none"
              ? "No calls in the last hour"
              : `threshold ${formatPercent(thresholds.errorRate)}`
          }
          trend={trend((point) => point.errorRate)}
          threshold={thresholds.errorRate}
        />
        <Tile
          label="p95 latency"
          value={formatDuration(overview.p95Ms)}
          state={states.p95}
          thresholdText={
            states.p95 === "none"
              ? "No calls in the last hour"
              : `threshold ${formatDuration(thresholds.p95Ms)}`
          }
          trend={trend((point) => point.p95Ms, null)}
          threshold={thresholds.p95Ms}
        />
        <Tile
          label="OCC share of mutations"
          value={formatPercent(overview.occShare)}
          state={states.occShare}
          thresholdText={
            states.occShare === "none"
              ? "No mutations in the last hour"
              : `threshold ${formatPercent(thresholds.occShare)}`
          }
          trend={trend((point) => point.occShare)}
          threshold={thresholds.occShare}
        />
        <Tile
          label="Slow calls"
          value={formatCount(overview.slowCallsLastHour)}
          state="none"
          thresholdText={`Calls ${describeSlowThresholds(overview.slowThresholds)}`}
          trend={trend((point) => point.slowCalls)}
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
              : `Last event ${formatRelative(overview.lastEventAt, clock)}`
          }
          state={states.logStream}
          thresholdText={
            <>
              {states.logStream === "alert"
                ? `Stale: nothing for over ${STALE_WINDOW_TEXT}`
                : states.logStream === "ok"
                  ? `Receiving (stale after ${STALE_WINDOW_TEXT})`
                  : "Nothing received yet"}
              {overview.lastVerificationAt !== null && (
                <> · verified {formatRelative(overview.lastVerificationAt, clock)}</>
              )}
            </>
          }
          trend={trend((point) => point.calls)}
        />
        <ChecklistsTile now={now} />
        <BackupRpoTile />
        <UsageTile now={now} />
      </ul>
    </section>
  );
}

/** The runbook's recurring checklists for this period, and how many recent periods ended unticked. */
function ChecklistsTile({ now }: { now: number }) {
  const summary = useChecklistSummary(now);
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
      {checklistShortTitle(checklist.title)}{" "}
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

function SlowestFunctions({ scope }: { scope: OverviewScope }) {
  const stats = useFunctionStats({ deployment: scope.deployment, from: scope.from, to: scope.to });
  const heading = `Slowest functions · ${RANGE_LABELS[scope.range].toLowerCase()}`;
  if (stats === undefined) {
    return <SkeletonRows rows={5} label="Loading the slowest functions…" />;
  }
  const top = slowestFunctions(stats.functions, TOP_FUNCTIONS);
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

function NewestErrorGroups({ scope }: { scope: OverviewScope }) {
  const answer = useErrorGroups({ deployment: scope.deployment, from: scope.from, to: scope.to });
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
