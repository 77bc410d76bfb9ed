import { createFileRoute } from "@tanstack/react-router";
import { ErrorsPage } from "@/features/metrics/components/ErrorsPage";
import { parseErrorsSearch } from "@/features/metrics/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/errors")({
  validateSearch: parseErrorsSearch,
  component: ErrorsRoute,
});

function ErrorsRoute() {
  return <ErrorsPage {...useUrlSearch(Route)} />;
}
