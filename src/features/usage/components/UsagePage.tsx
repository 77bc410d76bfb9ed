import { useId, useState, type FormEvent } from "react";
import {
  METRIC_UNITS,
  PLAN_CATALOG,
  PLAN_CATALOG_DATE,
  PLAN_IDS,
  USAGE_METRICS,
  planName,
  type PlanId,
  type PlanLimits,
  type UsageMetric,
} from "@convex/usage/shared";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { Page } from "@/components/Page";
import { SelectField } from "@/components/SelectField";
import { ShareBar } from "@/components/ShareBar";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useViewer } from "@/lib/api";
import { useMinute } from "@/lib/clock";
import { formatPercent } from "@/lib/format";
import { useMutationState } from "@/lib/useMutationState";
import {
  confidenceText,
  crossingText,
  formatUsageAmount,
  STATE_TEXT,
  stateTone,
  usageStandingText,
} from "@/lib/usageFormat";
import { viewerHasRole } from "@/lib/viewer";
import {
  useConvexFigures,
  useRefreshConvexFigures,
  useSetPlan,
  useTopFunctions,
  useUsageSummary,
} from "../api";
import { UsageChart } from "./UsageChart";
import {
  convexFiguresSentence,
  differenceText,
  metricLabel,
  seedStatusNote,
  storageKindRows,
  TOP_MEASURES,
  type MetricSummary,
  type UsageSummary,
} from "../Usage.utils";
import type { UsageSearch } from "../search";

type UsagePageProps = { search: UsageSearch; onSearchChange: (search: UsageSearch) => void };

export function UsagePage({ search, onSearchChange }: UsagePageProps) {
  const now = useMinute();
  return (
    <Page
      title="Usage"
      description="This month so far against your plan's included amounts, summed over every watched deployment, with a forecast — metered from the log stream as Convex meters it."
    >
      <ErrorBoundary title="Could not load usage">
        <UsageContent now={now} search={search} onSearchChange={onSearchChange} />
      </ErrorBoundary>
    </Page>
  );
}

function UsageContent({ now, search, onSearchChange }: UsagePageProps & { now: number }) {
  const summary = useUsageSummary(now);
  if (summary === undefined) return <SkeletonRows rows={6} label="Loading usage…" />;
  const chartMetric = search.chart ?? "functionCalls";
  const chart = summary.metrics.find((metric) => metric.metric === chartMetric)!;
  return (
    <div className="stack-lg">
      <PlanSection summary={summary} />
      {summary.deployments.length === 0 && (
        <p className="notice notice-info">
          No usage recorded this month yet: usage is metered from the log stream, so it appears once a
          deployment streams here.
        </p>
      )}
      <section aria-labelledby="usage-metrics-heading" className="stack">
        <h2 id="usage-metrics-heading">Month to date</h2>
        <p className="muted">{usageStandingText(summary, summary.timeZone)}.</p>
        <ul className="tiles usage-tiles" aria-label="Usage against the plan">
          {summary.metrics.map((metric) => (
            <MetricTile key={metric.metric} metric={metric} timeZone={summary.timeZone} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="usage-chart-heading" className="stack card">
        <div className="toolbar">
          <h2 id="usage-chart-heading">Daily usage</h2>
          <SelectField
            label="Metric"
            value={chartMetric}
            options={USAGE_METRICS.map((metric) => ({ value: metric, label: metricLabel(metric) }))}
            onChange={(value) =>
              onSearchChange({ chart: value === "functionCalls" ? undefined : (value as UsageMetric) })
            }
          />
        </div>
        <UsageChart metric={chart} timeZone={summary.timeZone} />
      </section>
      <ErrorBoundary title="Could not load the top consumers">
        <TopConsumers now={now} />
      </ErrorBoundary>
      <StorageByKind summary={summary} />
      <ErrorBoundary title="Could not load Convex's own figures">
        <ConvexFiguresCard now={now} />
      </ErrorBoundary>
    </div>
  );
}

function PlanSection({ summary }: { summary: UsageSummary }) {
  const viewer = useViewer();
  const { plan } = summary;
  return (
    <section aria-labelledby="usage-plan-heading" className="stack card">
      <h2 id="usage-plan-heading">Plan: {planName(plan.plan)}</h2>
      <p>
        {plan.chosen ? (
          <>
            Set by {plan.updatedBy} <Timestamp ms={plan.updatedAt ?? 0} />.{" "}
          </>
        ) : (
          <>No plan chosen yet, so the smallest plan's amounts apply. </>
        )}
        Included amounts from Convex's limits page as of {PLAN_CATALOG_DATE}; limits are per team, so every
        watched deployment counts. The month runs in {summary.timeZone}.
      </p>
      {summary.truncated && (
        <p className="notice notice-warning">
          Too many deployments to sum them all; the figures are partial.
        </p>
      )}
      {viewerHasRole(viewer, "admin") && <PlanForm current={plan.plan} customLimits={plan.customLimits} />}
    </section>
  );
}

function PlanForm({ current, customLimits }: { current: PlanId; customLimits: PlanLimits | null }) {
  const setPlan = useSetPlan();
  const { run, pending, error } = useMutationState(setPlan);
  const [plan, setPlanChoice] = useState<PlanId>(current);
  const [limits, setLimits] = useState<Record<UsageMetric, string>>(
    () =>
      Object.fromEntries(
        USAGE_METRICS.map((metric) => [
          metric,
          String((customLimits ?? PLAN_CATALOG.professional.limits)[metric]),
        ]),
      ) as Record<UsageMetric, string>,
  );
  const [saved, setSaved] = useState(false);
  const formId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const outcome = await run(
      plan === "custom"
        ? {
            plan,
            customLimits: Object.fromEntries(
              USAGE_METRICS.map((metric) => [metric, Number(limits[metric])]),
            ) as PlanLimits,
          }
        : { plan },
    );
    if (outcome.ok) setSaved(true);
  };

  return (
    <form className="stack-sm" onSubmit={(event) => void submit(event)} aria-label="Team plan">
      <div className="filter-bar">
        <SelectField
          label="Team plan"
          value={plan}
          options={PLAN_IDS.map((id) => ({ value: id, label: planName(id) }))}
          onChange={(value) => {
            setPlanChoice(value as PlanId);
            setSaved(false);
          }}
        />
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Saving…" : "Save plan"}
        </button>
      </div>
      {plan === "custom" && (
        <fieldset className="settings-grid">
          <legend>Custom limits per month</legend>
          {USAGE_METRICS.map((metric) => (
            <div className="field" key={metric}>
              <label htmlFor={`${formId}-${metric}`}>
                {metricLabel(metric)} ({METRIC_UNITS[metric]})
              </label>
              <input
                id={`${formId}-${metric}`}
                className="input input-number"
                type="number"
                min="0"
                step="any"
                required
                value={limits[metric]}
                onChange={(event) => setLimits({ ...limits, [metric]: event.target.value })}
              />
            </div>
          ))}
        </fieldset>
      )}
      {error !== null && <ErrorNotice error={error} title="Could not change the plan" />}
      {saved && (
        <p className="form-feedback" role="status">
          Plan saved: the states and forecasts below now use its amounts.
        </p>
      )}
    </form>
  );
}

function MetricTile({ metric, timeZone }: { metric: MetricSummary; timeZone: string }) {
  const label = metricLabel(metric.metric);
  const forecast = metric.forecast;
  const confidence = forecast === null ? null : confidenceText(forecast);
  return (
    <li
      className={`tile tile-${stateTone(metric.state)}`}
      aria-label={label}
      data-state={metric.state ?? "none"}
    >
      <p className="tile-label">{label}</p>
      {metric.value === null ? (
        <p className="tile-threshold">
          Not reported: Convex sends storage usage about hourly, and self-hosted deployments do not send it.
        </p>
      ) : (
        <>
          <p className="tile-value">{formatUsageAmount(metric.metric, metric.value)}</p>
          <p className="tile-threshold">
            of {formatUsageAmount(metric.metric, metric.included)} included ·{" "}
            <span className={`tile-flag tile-flag-${stateTone(metric.state)}`}>
              {STATE_TEXT[metric.state!]}
            </span>
          </p>
          <ShareBar share={metric.share ?? 0} />
          {forecast !== null && (
            <div className="usage-forecast">
              <p>
                Month end ≈ {formatUsageAmount(metric.metric, forecast.projectedMonthEnd)} (
                {forecast.method === "run-rate" ? "run rate" : "14-day slope"})
              </p>
              <p>
                80 %: {crossingText(metric.metric, forecast.at80, timeZone)} · 100 %:{" "}
                {crossingText(metric.metric, forecast.at100, timeZone)}
              </p>
              {confidence !== null && <p className="muted">{confidence}</p>}
            </div>
          )}
          {metric.byDeployment.length > 1 && (
            <p className="muted">
              {metric.byDeployment
                .map(
                  (entry) =>
                    `${entry.deployment} ${formatPercent(metric.value ? entry.value / metric.value : 0)}`,
                )
                .join(" · ")}
            </p>
          )}
        </>
      )}
    </li>
  );
}

function TopConsumers({ now }: { now: number }) {
  const top = useTopFunctions(now);
  return (
    <section aria-labelledby="usage-top-heading" className="stack">
      <h2 id="usage-top-heading">Top consumers by function this month</h2>
      {top === undefined ? (
        <SkeletonRows rows={4} label="Loading the top consumers…" />
      ) : (
        <div className="two-columns">
          {TOP_MEASURES.map((measure) => {
            const rows = top[measure.key];
            return (
              <div key={measure.key} className="card stack-sm">
                <h3>{measure.title}</h3>
                {rows.length === 0 ? (
                  <p className="muted">None this month.</p>
                ) : (
                  <table className="data-table compact-table">
                    <caption className="visually-hidden">
                      Top functions by {measure.title.toLowerCase()}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Function</th>
                        <th scope="col">{METRIC_UNITS[measure.metric]}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((row) => (
                        <tr key={`${row.deployment}|${row.functionPath}`}>
                          <td className="cell-wrap">
                            <code>{row.functionPath}</code> <span className="muted">{row.deployment}</span>
                          </td>
                          <td>
                            {formatUsageAmount(measure.metric, row.value).replace(
                              ` ${METRIC_UNITS[measure.metric]}`,
                              "",
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            );
          })}
        </div>
      )}
      {top?.truncated && (
        <p className="muted">Only the first days' functions were counted: there are very many.</p>
      )}
    </section>
  );
}

function StorageByKind({ summary }: { summary: UsageSummary }) {
  const rows = storageKindRows(summary.storageByKind);
  return (
    <section aria-labelledby="usage-storage-heading" className="stack card">
      <h2 id="usage-storage-heading">Storage by kind</h2>
      {rows.length === 0 ? (
        <p>
          Storage is not reported: Convex sends it in the log stream about hourly, and self-hosted deployments
          do not send it at all, so it is shown as unknown rather than zero.
        </p>
      ) : (
        <>
          <p className="muted">
            Latest report <Timestamp ms={summary.storageReportedAt ?? 0} />, every deployment's latest report
            summed.
          </p>
          <table className="data-table compact-table">
            <caption className="visually-hidden">Storage by kind</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Counts toward</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.kind}>
                  <td>{row.kind}</td>
                  <td>{metricLabel(row.metric)}</td>
                  <td>{formatUsageAmount(row.metric, row.bytes / 2 ** 30)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ConvexFiguresCard({ now }: { now: number }) {
  const figures = useConvexFigures(now);
  const viewer = useViewer();
  const refresh = useRefreshConvexFigures();
  const { run, pending, error } = useMutationState(refresh);
  if (figures === undefined) return <SkeletonRows rows={2} label="Loading Convex's own figures…" />;
  const sentence = convexFiguresSentence(figures);
  const canRefresh = figures.connected !== null && viewerHasRole(viewer, "operator");
  return (
    <section aria-labelledby="usage-convex-heading" className="stack card">
      <div className="toolbar">
        <h2 id="usage-convex-heading">Convex's own figures</h2>
        {canRefresh && (
          <button
            type="button"
            className="button button-small"
            disabled={pending}
            onClick={() => void run({})}
          >
            {pending ? "Asking…" : "Read again"}
          </button>
        )}
      </div>
      {sentence !== null ? (
        <p>{sentence}</p>
      ) : (
        <>
          <p className="muted">
            From {figures.connected}'s <code>get_current_usage</code>, read{" "}
            <Timestamp ms={figures.figures!.fetchedAt} />
            {seedStatusNote(figures.figures!.seedStatus) !== null &&
              ` (${seedStatusNote(figures.figures!.seedStatus)})`}
            . Convex's month is the UTC calendar month.
          </p>
          <div className="table-scroll">
            <table className="data-table compact-table">
              <caption className="visually-hidden">
                Our figures beside Convex's for {figures.connected}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col">Ours, month</th>
                  <th scope="col">Convex, month</th>
                  <th scope="col">Convex, today</th>
                  <th scope="col">Difference</th>
                </tr>
              </thead>
              <tbody>
                {figures.figures!.rows.map((row) => (
                  <tr key={row.metric}>
                    <td>{metricLabel(row.metric)}</td>
                    <td>{formatUsageAmount(row.metric, row.ours)}</td>
                    <td>{formatUsageAmount(row.metric, row.convexMonth)}</td>
                    <td>{formatUsageAmount(row.metric, row.convexDay)}</td>
                    <td>{differenceText(row.metric, row.difference)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {error !== null && <ErrorNotice error={error} title="Could not ask for Convex's figures" />}
    </section>
  );
}
