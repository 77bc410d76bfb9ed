import { createFileRoute } from "@tanstack/react-router";
import { AuditPage } from "@/features/audit/components/AuditPage";
import { parseAuditSearch, type AuditFilters } from "@/features/audit/search";

export const Route = createFileRoute("/audit")({
  validateSearch: parseAuditSearch,
  component: AuditRoute,
});

function AuditRoute() {
  const filters = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <AuditPage
      filters={filters}
      onFiltersChange={(next: AuditFilters) => void navigate({ search: next, replace: true })}
    />
  );
}
