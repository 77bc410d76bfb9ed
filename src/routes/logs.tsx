import { createFileRoute } from "@tanstack/react-router";
import { LogsPage } from "@/features/logs/components/LogsPage";
import { parseLogsSearch } from "@/features/logs/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/logs")({
  validateSearch: parseLogsSearch,
  component: LogsRoute,
});

function LogsRoute() {
  return <LogsPage {...useUrlSearch(Route)} />;
}
