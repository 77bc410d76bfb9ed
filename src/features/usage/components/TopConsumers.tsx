import { METRIC_UNITS } from "@convex/usage/shared";
import { SkeletonRows } from "@/components/Skeleton";
import { StaticTable } from "@/components/StaticTable";
import { formatUsageAmount } from "@/lib/usageFormat";
import { useTopFunctions } from "../api";
import { TOP_MEASURES } from "../Usage.utils";

/** The month's heaviest functions by each measure, across every watched deployment. */
export function TopConsumers({ now }: { now: number }) {
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
                  <StaticTable
                    caption={`Top functions by ${measure.title.toLowerCase()}`}
                    rows={rows}
                    rowKey={(row) => `${row.deployment}|${row.functionPath}`}
                    columns={[
                      {
                        header: "Function",
                        className: "cell-wrap",
                        cell: (row) => (
                          <>
                            <code>{row.functionPath}</code> <span className="muted">{row.deployment}</span>
                          </>
                        ),
                      },
                      {
                        header: METRIC_UNITS[measure.metric],
                        cell: (row) =>
                          formatUsageAmount(measure.metric, row.value).replace(
                            ` ${METRIC_UNITS[measure.metric]}`,
                            "",
                          ),
                      },
                    ]}
                  />
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
