import { AUDIT_ACTIONS, type AuditAction } from "@convex/audit/shared";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { FilterBar } from "@/components/FilterBar";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { downloadCsv, fileStamp } from "@/lib/csv";
import { useAuditTrail } from "../api";
import { actionLabel, auditCsv, auditTrailArgs, detailEntries, type AuditRow } from "../Audit.utils";
import type { AuditFilters } from "../search";
import { SelectField } from "@/components/SelectField";
import { ExportCsvButton } from "@/components/ExportCsvButton";
import { LoadMore } from "@/components/LoadMore";
import { countOf } from "@/lib/format";

export const AUDIT_PAGE_SIZE = 50;

type AuditPageProps = {
  filters: AuditFilters;
  onFiltersChange: (filters: AuditFilters) => void;
};

export function AuditPage({ filters, onFiltersChange }: AuditPageProps) {
  return (
    <Page title="Audit trail" description="Every admin action on this console, newest first.">
      <AuditFilterBar filters={filters} onFiltersChange={onFiltersChange} />
      <ErrorBoundary
        key={`${filters.actor ?? ""}|${filters.action ?? ""}`}
        title="Could not load the audit trail"
      >
        <AuditTrail filters={filters} />
      </ErrorBoundary>
    </Page>
  );
}

function AuditFilterBar({ filters, onFiltersChange }: AuditPageProps) {
  return (
    <FilterBar
      label="Filter the audit trail"
      fields={[
        {
          name: "actor",
          label: "Actor email",
          value: filters.actor ?? "",
          type: "email",
          placeholder: "exact email, e.g. ada@example.com",
        },
      ]}
      onApply={({ actor }) => onFiltersChange({ ...filters, actor })}
      filtered={filters.actor !== undefined || filters.action !== undefined}
      onClear={() => onFiltersChange({})}
    >
      <SelectField
        label="Action"
        value={filters.action ?? ""}
        allLabel="All actions"
        options={AUDIT_ACTIONS.map((action) => ({ value: action, label: actionLabel(action) }))}
        onChange={(action) =>
          onFiltersChange({ ...filters, action: action === "" ? undefined : (action as AuditAction) })
        }
      />
    </FilterBar>
  );
}

const column = columnHelperFor<AuditRow>();

const AUDIT_COLUMNS = column.columns([
  column.accessor("at", {
    header: "Time",
    sortFn: "basic",
    cell: (info) => <Timestamp ms={info.getValue()} />,
  }),
  // An email reads whole: it never wraps mid-address on a wide screen.
  column.accessor("actorEmail", { header: "Actor", sortFn: "text", meta: { className: "col-nowrap" } }),
  column.accessor((row) => actionLabel(row.action), {
    id: "action",
    header: "Action",
    sortFn: "text",
  }),
  column.accessor("targetName", {
    header: "Target",
    sortFn: "text",
    cell: (info) => <span className="cell-wrap">{info.getValue()}</span>,
  }),
  column.accessor("details", {
    header: "Details",
    enableSorting: false,
    cell: (info) => <AuditDetails details={info.getValue()} />,
  }),
]);

function AuditDetails({ details }: { details: AuditRow["details"] }) {
  const entries = detailEntries(details);
  if (entries.length === 0) {
    return <span className="muted">—</span>;
  }
  return (
    <dl className="details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}:</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const getAuditRowId = (row: AuditRow) => row._id;

function exportCsv(rows: AuditRow[]) {
  downloadCsv(`audit-${fileStamp(new Date())}.csv`, auditCsv(rows));
}

function AuditTrail({ filters }: { filters: AuditFilters }) {
  const { results, status, loadMore } = useAuditTrail(auditTrailArgs(filters), AUDIT_PAGE_SIZE);

  if (status === "LoadingFirstPage") {
    return <SkeletonRows rows={8} label="Loading the audit trail…" />;
  }

  const filtered = filters.actor !== undefined || filters.action !== undefined;
  return (
    <section aria-label="Audit entries" className="stack">
      <div className="toolbar">
        <span className="muted">{countOf(results.length, "entry", "entries")} loaded</span>
        <ExportCsvButton rowCount={results.length} onExport={() => exportCsv(results)} />
      </div>
      <DataTable
        caption="Audit trail, newest first"
        columns={AUDIT_COLUMNS}
        data={results}
        getRowId={getAuditRowId}
        empty={
          filtered
            ? "No audit entries match these filters."
            : "No audit entries yet. Admin actions will appear here."
        }
      />
      <LoadMore status={status} onLoadMore={() => loadMore(AUDIT_PAGE_SIZE)}>
        {status === "Exhausted" && results.length > 0 && <span className="muted">End of the trail.</span>}
      </LoadMore>
    </section>
  );
}
