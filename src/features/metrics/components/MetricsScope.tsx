import type { ReactNode } from "react";
import { streamState } from "@convex/metrics/shared";
import { SelectField } from "@/components/SelectField";
import { SkeletonRows } from "@/components/Skeleton";
import { useNow, useRangeEnd } from "@/lib/clock";
import { useDefaultDeployment } from "@/lib/remembered";
import { formatRelative } from "@/lib/time";
import { useDeployments } from "../api";
import { ConnectLogStream } from "./ConnectLogStream";
import {
  DEFAULT_RANGE,
  RANGE_KEYS,
  RANGE_LABELS,
  RANGE_MS,
  type RangeKey,
  type ScopeSearch,
} from "../search";

export type MetricsScopeValue = {
  deployment: string;
  range: RangeKey;
  /** Range start, ms. */
  from: number;
  /** Range end: the start of the next minute, so the current minute is included. */
  to: number;
};

type MetricsScopeProps = {
  search: ScopeSearch;
  onScopeChange: (scope: ScopeSearch) => void;
  /** The page's content for the chosen deployment and range. */
  children: (scope: MetricsScopeValue) => ReactNode;
  /** What the range applies to when not everything on the page follows it. */
  rangeHint?: ReactNode;
};

/**
 * The deployment and time-range picker the metrics pages share. Both live in the URL; the
 * deployment defaults to the one that streamed most recently. Without any, it explains how to
 * connect a log stream instead of rendering the page.
 */
export function MetricsScope({ search, onScopeChange, children, rangeHint }: MetricsScopeProps) {
  const deployments = useDeployments();
  const defaultDeployment = useDefaultDeployment(deployments);
  const to = useRangeEnd();
  const now = useNow();

  const deployment = search.deployment ?? defaultDeployment;
  if (deployment === undefined) {
    return <SkeletonRows rows={6} label="Loading watched deployments…" />;
  }
  if (deployment === null) {
    return <ConnectLogStream />;
  }
  const range = search.range ?? DEFAULT_RANGE;
  // While the list loads, the page already asks for its data (the URL's or the remembered default).
  const known = deployments?.some((candidate) => candidate.name === deployment) ?? true;
  const from = to - RANGE_MS[range];

  return (
    <div className="stack-lg">
      <form
        className="filter-bar"
        aria-label="Deployment and time range"
        onSubmit={(event) => event.preventDefault()}
      >
        <SelectField
          label="Deployment"
          value={deployment}
          busy={deployments === undefined}
          options={[
            // While the list loads, the deployment the page already shows.
            ...(deployments === undefined ? [{ value: deployment, label: deployment }] : []),
            ...(known ? [] : [{ value: deployment, label: `${deployment} (no events received)` }]),
            ...(deployments ?? []).map((candidate) => ({
              value: candidate.name,
              label: `${candidate.name} (${candidate.type}) · last event ${formatRelative(candidate.lastEventAt, now)}${
                streamState(candidate.lastEventAt, now) === "alert" ? " · stale" : ""
              }`,
            })),
          ]}
          onChange={(value) => onScopeChange({ ...search, deployment: value })}
        />
        <SelectField
          label="Time range"
          value={range}
          options={RANGE_KEYS.map((key) => ({ value: key, label: RANGE_LABELS[key] }))}
          onChange={(value) =>
            onScopeChange({ ...search, range: value === DEFAULT_RANGE ? undefined : (value as RangeKey) })
          }
        />
        <p className="muted filter-hint">{rangeHint ?? "Live: updates as events arrive."}</p>
      </form>
      {!known && (
        <p className="notice notice-warning" role="status">
          No events from <strong className="mono">{deployment}</strong> have reached this console. Pick a
          deployment that streams here.
        </p>
      )}
      {children({ deployment, range, from, to })}
    </div>
  );
}
