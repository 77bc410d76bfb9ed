import { createFileRoute } from "@tanstack/react-router";
import { TasksPage } from "@/features/tasks/components/TasksPage";
import { parseTasksSearch } from "@/features/tasks/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/tasks")({
  validateSearch: parseTasksSearch,
  component: TasksRoute,
});

function TasksRoute() {
  return <TasksPage {...useUrlSearch(Route)} />;
}
