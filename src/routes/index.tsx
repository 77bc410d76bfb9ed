import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "../components/Page";

export const Route = createFileRoute("/")({
  component: OverviewPage,
});

function OverviewPage() {
  return (
    <PlannedPage
      title="Overview"
      purpose="Health at a glance for the watched deployment: request rate, error rate, p95 latency and open alerts."
    />
  );
}
