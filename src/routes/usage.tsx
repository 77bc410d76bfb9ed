import { createFileRoute } from "@tanstack/react-router";
import { UsagePage } from "@/features/usage/components/UsagePage";
import { parseUsageSearch, type UsageSearch } from "@/features/usage/search";

export const Route = createFileRoute("/usage")({
  validateSearch: parseUsageSearch,
  component: UsageRoute,
});

function UsageRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <UsagePage
      search={search}
      onSearchChange={(next: UsageSearch) => void navigate({ search: next, replace: true })}
    />
  );
}
