import { createFileRoute } from "@tanstack/react-router";
import { ErrorsPage } from "@/features/metrics/components/ErrorsPage";
import { parseErrorsSearch, type ErrorsSearch } from "@/features/metrics/search";

export const Route = createFileRoute("/errors")({
  validateSearch: parseErrorsSearch,
  component: ErrorsRoute,
});

function ErrorsRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <ErrorsPage
      search={search}
      onSearchChange={(next: ErrorsSearch, options) =>
        void navigate({ search: next, replace: !options?.push })
      }
    />
  );
}
