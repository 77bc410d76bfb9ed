import { createFileRoute } from "@tanstack/react-router";
import { MetricsScope } from "@/features/metrics/components/MetricsScope";
import { parseScopeSearch, type ScopeSearch } from "@/features/metrics/search";
import { OverviewPage } from "@/features/overview/components/OverviewPage";

export const Route = createFileRoute("/")({
  validateSearch: parseScopeSearch,
  component: OverviewRoute,
});

function OverviewRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <OverviewPage
      search={search}
      onSearchChange={(next: ScopeSearch) => void navigate({ search: next, replace: true })}
      ScopePicker={MetricsScope}
    />
  );
}
