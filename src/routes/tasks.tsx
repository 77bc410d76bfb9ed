import { createFileRoute } from "@tanstack/react-router";
import { TasksPage } from "@/features/tasks/components/TasksPage";
import { parseTasksSearch, type TasksSearch } from "@/features/tasks/search";

export const Route = createFileRoute("/tasks")({
  validateSearch: parseTasksSearch,
  component: TasksRoute,
});

function TasksRoute() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <TasksPage
      search={search}
      onSearchChange={(next: TasksSearch) => void navigate({ search: next, replace: true })}
    />
  );
}
