import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "@/components/Page";

export const Route = createFileRoute("/imports")({
  component: ImportsPage,
});

function ImportsPage() {
  return (
    <PlannedPage
      title="Imports"
      purpose="Imports of CSV, JSON Lines, JSON arrays and snapshot ZIPs into tables, with their progress and results."
    />
  );
}
