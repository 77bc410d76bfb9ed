import { createFileRoute } from "@tanstack/react-router";
import { MetricsScope } from "@/features/metrics/components/MetricsScope";
import { parseScopeSearch } from "@/features/metrics/search";
import { OverviewPage } from "@/features/overview/components/OverviewPage";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/")({
  validateSearch: parseScopeSearch,
  component: OverviewRoute,
});

function OverviewRoute() {
  return <OverviewPage {...useUrlSearch(Route)} ScopePicker={MetricsScope} />;
}
