import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { StaticTable } from "@/components/StaticTable";
import { Timestamp } from "@/components/Timestamp";
import { useViewer } from "@/lib/api";
import { useMutationState } from "@/lib/useMutationState";
import { formatUsageAmount } from "@/lib/usageFormat";
import { viewerHasRole } from "@/lib/viewer";
import { useConvexFigures, useRefreshConvexFigures } from "../api";
import { convexFiguresSentence, differenceText, metricLabel, seedStatusNote } from "../Usage.utils";

/** Our month beside what Convex's own usage endpoint reports for the connected deployment. */
export function ConvexFiguresCard({ now }: { now: number }) {
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
          <StaticTable
            caption={`Our figures beside Convex's for ${figures.connected}`}
            scroll
            rows={figures.figures!.rows}
            rowKey={(row) => row.metric}
            columns={[
              { header: "Metric", cell: (row) => metricLabel(row.metric) },
              { header: "Ours, month", cell: (row) => formatUsageAmount(row.metric, row.ours) },
              { header: "Convex, month", cell: (row) => formatUsageAmount(row.metric, row.convexMonth) },
              { header: "Convex, today", cell: (row) => formatUsageAmount(row.metric, row.convexDay) },
              { header: "Difference", cell: (row) => differenceText(row.metric, row.difference) },
            ]}
          />
        </>
      )}
      {error !== null && <ErrorNotice error={error} title="Could not ask for Convex's figures" />}
    </section>
  );
}
