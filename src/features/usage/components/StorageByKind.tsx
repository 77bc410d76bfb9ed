import { StaticTable } from "@/components/StaticTable";
import { Timestamp } from "@/components/Timestamp";
import { formatUsageAmount } from "@/lib/usageFormat";
import { metricLabel, storageKindRows, type UsageSummary } from "../Usage.utils";

/** The latest storage report split by kind, and the metric each kind counts toward. */
export function StorageByKind({ summary }: { summary: UsageSummary }) {
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
          <StaticTable
            caption="Storage by kind"
            rows={rows}
            rowKey={(row) => row.kind}
            columns={[
              { header: "Kind", cell: (row) => row.kind },
              { header: "Counts toward", cell: (row) => metricLabel(row.metric) },
              { header: "Size", cell: (row) => formatUsageAmount(row.metric, row.bytes / 2 ** 30) },
            ]}
          />
        </>
      )}
    </section>
  );
}
