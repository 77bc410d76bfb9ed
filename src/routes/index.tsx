import { createFileRoute } from "@tanstack/react-router";
import { OverviewPage } from "@/features/metrics/OverviewPage";
import { parseScopeSearch, type ScopeSearch } from "@/features/metrics/search";

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
    />
  );
}
