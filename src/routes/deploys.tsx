import { createFileRoute } from "@tanstack/react-router";
import { DeploysPage } from "@/features/functions/components/DeploysPage";
import { parseDeploysSearch } from "@/features/functions/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/deploys")({
  validateSearch: parseDeploysSearch,
  component: DeploysRoute,
});

function DeploysRoute() {
  return <DeploysPage {...useUrlSearch(Route)} />;
}
