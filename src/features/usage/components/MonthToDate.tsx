import { ErrorBoundary } from "@/components/ErrorBoundary";
import { usageStandingText } from "@/lib/usageFormat";
import type { UsageSummary } from "../Usage.utils";
import { MetricTile } from "./MetricTile";
import { UsageRuleStanding } from "./UsageRuleStanding";

/**
 * Every metric's tile, under the one sentence that says where the month stands and its alert rule's
 * verdict. The verdict is read while the summary still loads (`undefined`: the page shows its
 * skeleton above), so the two queries go out together.
 */
export function MonthToDate({ summary }: { summary: UsageSummary | undefined }) {
  return (
    <section aria-labelledby="usage-metrics-heading" className="stack">
      <h2 id="usage-metrics-heading">Month to date</h2>
      {summary !== undefined && <p className="muted">{usageStandingText(summary, summary.timeZone)}.</p>}
      <ErrorBoundary title="Could not load the usage alert">
        <UsageRuleStanding />
      </ErrorBoundary>
      {summary !== undefined && (
        <ul className="tiles usage-tiles" aria-label="Usage against the plan">
          {summary.metrics.map((metric) => (
            <MetricTile key={metric.metric} metric={metric} timeZone={summary.timeZone} />
          ))}
        </ul>
      )}
    </section>
  );
}
