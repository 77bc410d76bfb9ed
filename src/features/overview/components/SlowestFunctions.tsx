import { Link } from "@tanstack/react-router";
import { FunctionLink } from "@/components/FunctionLink";
import { SkeletonRows } from "@/components/Skeleton";
import { StaticTable } from "@/components/StaticTable";
import { formatCount, formatDuration } from "@/lib/format";
import { RANGE_LABELS } from "@/lib/timeRange";
import { useFunctionStats } from "../api";
import { metricsSearch, slowestFunctions, type OverviewScope } from "../Overview.utils";

const TOP_FUNCTIONS = 5;

/** The range's slowest functions by p95: each name opens the function's page, its p95 its slow calls. */
export function SlowestFunctions({ scope }: { scope: OverviewScope }) {
  const stats = useFunctionStats({ deployment: scope.deployment, from: scope.from, to: scope.to });
  const heading = `Slowest functions · ${RANGE_LABELS[scope.range].toLowerCase()}`;
  if (stats === undefined) {
    return <SkeletonRows rows={5} label="Loading the slowest functions…" />;
  }
  const top = slowestFunctions(stats.functions, TOP_FUNCTIONS);
  const slowQueries = metricsSearch(scope);
  return (
    <section aria-labelledby="slowest-heading" className="stack card">
      <div className="toolbar">
        <h2 id="slowest-heading">{heading}</h2>
        <Link to="/slow-queries" search={slowQueries}>
          All functions
        </Link>
      </div>
      {top.length === 0 ? (
        <p className="muted">No function calls in this range.</p>
      ) : (
        <StaticTable
          caption={`Top ${TOP_FUNCTIONS} functions by p95 latency`}
          rows={top}
          rowKey={(row) => row.functionPath}
          columns={[
            {
              header: "Function",
              cell: (row) => <FunctionLink deployment={scope.deployment} functionPath={row.functionPath} />,
            },
            {
              header: "p95",
              cell: (row) => (
                <Link
                  to="/slow-queries"
                  search={{ ...slowQueries, view: "calls", fn: row.functionPath }}
                  aria-label={`Slow calls of ${row.functionPath}`}
                >
                  {formatDuration(row.p95Ms)}
                </Link>
              ),
            },
            { header: "Calls", cell: (row) => formatCount(row.calls) },
          ]}
        />
      )}
    </section>
  );
}
