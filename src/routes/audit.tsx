import { createFileRoute } from "@tanstack/react-router";
import { AuditPage } from "@/features/audit/components/AuditPage";
import { parseAuditSearch } from "@/features/audit/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/audit")({
  validateSearch: parseAuditSearch,
  component: AuditRoute,
});

function AuditRoute() {
  const { search, onSearchChange } = useUrlSearch(Route);
  return <AuditPage filters={search} onFiltersChange={onSearchChange} />;
}
