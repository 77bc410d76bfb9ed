import { SkeletonRows } from "@/components/Skeleton";
import { useTaskCounts } from "../api";
import type { TasksSearch } from "../search";
import { countLabel } from "../Tasks.utils";

/** Live open and done counts for the priority and owner filters. */
export function TaskCounts({ search }: { search: TasksSearch }) {
  const counts = useTaskCounts({ priority: search.priority, owner: search.owner });
  if (counts === undefined) return <SkeletonRows rows={1} label="Counting tasks…" />;
  return (
    <p className="muted" aria-live="polite">
      <strong>{countLabel(counts.open, counts.cap)}</strong> open ·{" "}
      <strong>{countLabel(counts.done, counts.cap)}</strong> done
      {search.priority !== undefined || search.owner !== undefined ? " for these filters" : ""}
    </p>
  );
}
