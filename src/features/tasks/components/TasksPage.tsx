import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import type { TasksSearch } from "../search";
import { TaskCounts } from "./TaskCounts";
import { TaskFilterBar } from "./TaskFilterBar";
import { TaskTable } from "./TaskTable";

type TasksPageProps = {
  search: TasksSearch;
  onSearchChange: (next: TasksSearch) => void;
};

/** Every user's tasks: filters in the URL, pages from the server, live counts, operator actions. */
export function TasksPage({ search, onSearchChange }: TasksPageProps) {
  const viewer = useViewer();
  const canAct = viewerHasRole(viewer, "operator");
  return (
    <Page
      title="Tasks"
      description="The app's tasks across all users, live. Operators can complete, reopen, re-prioritise and delete them."
    >
      <TaskFilterBar search={search} onSearchChange={onSearchChange} />
      <ErrorBoundary key={JSON.stringify(search)} title="Could not load the tasks">
        <TaskCounts search={search} />
        <TaskTable search={search} onSearchChange={onSearchChange} canAct={canAct} />
      </ErrorBoundary>
    </Page>
  );
}
