import { createFileRoute } from "@tanstack/react-router";
import { SlowQueriesPage } from "@/features/metrics/components/SlowQueriesPage";
import { parseSlowQueriesSearch, type SlowQueriesSearch } from "@/features/metrics/search";

export const Route = createFileRoute("/slow-queries")({
  validateSearch: parseSlowQueriesSearch,
  component: SlowQueriesRoute,
});

function SlowQueriesRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <SlowQueriesPage
      search={search}
      onSearchChange={(next: SlowQueriesSearch, options) =>
        void navigate({ search: next, replace: !options?.push })
      }
    />
  );
}
