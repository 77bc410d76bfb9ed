import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "../components/Page";

export const Route = createFileRoute("/runbooks")({
  component: RunbooksPage,
});

function RunbooksPage() {
  return (
    <PlannedPage
      title="Runbooks"
      purpose="The daily, weekly, monthly and quarterly maintenance checklists to tick, and the emergency procedures."
    />
  );
}
