import { createFileRoute } from "@tanstack/react-router";
import { DeploysPage } from "@/features/functions/components/DeploysPage";
import { parseDeploysSearch, type DeploysSearch } from "@/features/functions/search";

export const Route = createFileRoute("/deploys")({
  validateSearch: parseDeploysSearch,
  component: DeploysRoute,
});

function DeploysRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <DeploysPage
      search={search}
      onSearchChange={(next: DeploysSearch) => void navigate({ search: next, replace: true })}
    />
  );
}
