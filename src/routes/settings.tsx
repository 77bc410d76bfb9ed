import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "../components/Page";

export const Route = createFileRoute("/settings")({
  component: SettingsPage,
});

function SettingsPage() {
  return (
    <PlannedPage
      title="Settings"
      purpose="Slow-query thresholds, plan limits and the log-stream webhook secret, editable by admins."
    />
  );
}
