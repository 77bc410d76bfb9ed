import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "../components/Page";

export const Route = createFileRoute("/backups")({
  component: BackupsPage,
});

function BackupsPage() {
  return (
    <PlannedPage
      title="Backups"
      purpose="Backup history and age against the one-hour recovery point objective, backup now, and restore with typed confirmation."
    />
  );
}
