import { createFileRoute, useLocation } from "@tanstack/react-router";
import { RunbooksPage } from "@/features/runbooks/components/RunbooksPage";
import { parseRunbookSearch, type RunbookSearch } from "@/features/runbooks/search";

export const Route = createFileRoute("/runbooks")({
  validateSearch: parseRunbookSearch,
  component: RunbooksRoute,
});

function RunbooksRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  const hash = useLocation({ select: (location) => location.hash });
  return (
    <RunbooksPage
      search={search}
      linkedItem={hash}
      onSearchChange={(next: RunbookSearch) => void navigate({ search: next, replace: true })}
    />
  );
}
