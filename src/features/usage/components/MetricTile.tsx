import { ShareBar } from "@/components/ShareBar";
import { formatPercent } from "@/lib/format";
import { confidenceText, crossingText, formatUsageAmount, STATE_TEXT, stateTone } from "@/lib/usageFormat";
import { metricLabel, type MetricSummary } from "../Usage.utils";

/** One metric's month so far against the plan, its forecast, and each deployment's share. */
export function MetricTile({ metric, timeZone }: { metric: MetricSummary; timeZone: string }) {
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
