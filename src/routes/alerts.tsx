import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "@/components/Page";

export const Route = createFileRoute("/alerts")({
  component: AlertsPage,
});

function AlertsPage() {
  return (
    <PlannedPage
      title="Alerts"
      purpose="Alert rules for error rate, p95 latency, storage, write conflicts and backup age, and the alerts they raised, to acknowledge."
    />
  );
}
