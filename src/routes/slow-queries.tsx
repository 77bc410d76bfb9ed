import { createFileRoute } from "@tanstack/react-router";
import { SlowQueriesPage } from "@/features/metrics/components/SlowQueriesPage";
import { parseSlowQueriesSearch } from "@/features/metrics/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/slow-queries")({
  validateSearch: parseSlowQueriesSearch,
  component: SlowQueriesRoute,
});

function SlowQueriesRoute() {
  return <SlowQueriesPage {...useUrlSearch(Route)} />;
}
