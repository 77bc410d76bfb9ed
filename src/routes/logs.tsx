import { createFileRoute } from "@tanstack/react-router";
import { LogsPage } from "@/features/logs/components/LogsPage";
import { parseLogsSearch, type LogsSearch } from "@/features/logs/search";

export const Route = createFileRoute("/logs")({
  validateSearch: parseLogsSearch,
  component: LogsRoute,
});

function LogsRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <LogsPage
      search={search}
      onSearchChange={(next: LogsSearch, options) => void navigate({ search: next, replace: !options?.push })}
    />
  );
}
