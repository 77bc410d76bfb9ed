import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "@/components/Page";

export const Route = createFileRoute("/tasks")({
  component: TasksPage,
});

function TasksPage() {
  return (
    <PlannedPage
      title="Tasks"
      purpose="The instrumented tasks domain of the watched app, with its operator actions."
    />
  );
}
