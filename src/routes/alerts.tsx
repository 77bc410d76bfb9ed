import { createFileRoute } from "@tanstack/react-router";
import { AlertsPage } from "@/features/alerts/components/AlertsPage";
import { parseAlertsSearch } from "@/features/alerts/search";

export const Route = createFileRoute("/alerts")({
  validateSearch: parseAlertsSearch,
  component: AlertsRoute,
});

function AlertsRoute() {
  return <AlertsPage search={Route.useSearch()} />;
}
