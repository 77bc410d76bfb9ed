import { TASK_PRIORITIES, type TaskPriority } from "@convex/tasks/shared";
import { FilterBar } from "@/components/FilterBar";
import { SelectField } from "@/components/SelectField";
import { TASK_ORDERS, TASK_STATES, type TasksSearch } from "../search";
import { hasFilters } from "../Tasks.utils";

type TaskFilterBarProps = { search: TasksSearch; onSearchChange: (next: TasksSearch) => void };

/** The task filters, kept in the URL; typed text applies on submit, choices at once. */
export function TaskFilterBar({ search, onSearchChange }: TaskFilterBarProps) {
  return (
    <FilterBar
      label="Filter tasks"
      fields={[
        { name: "q", label: "Text", value: search.q ?? "", type: "search", placeholder: "words in the task" },
        {
          name: "owner",
          label: "Owner email",
          value: search.owner ?? "",
          type: "email",
          placeholder: "exact email",
        },
      ]}
      onApply={({ q, owner }) => onSearchChange({ ...search, owner, q })}
      filtered={hasFilters(search)}
      onClear={() => onSearchChange({ order: search.order })}
    >
      <SelectField
        label="State"
        value={search.state ?? ""}
        allLabel="Open and done"
        options={TASK_STATES.map((state) => ({ value: state, label: state === "open" ? "Open" : "Done" }))}
        onChange={(state) =>
          onSearchChange({ ...search, state: state === "" ? undefined : (state as TasksSearch["state"]) })
        }
      />
      <SelectField
        label="Priority"
        value={search.priority ?? ""}
        allLabel="Any priority"
        options={TASK_PRIORITIES}
        onChange={(priority) =>
          onSearchChange({ ...search, priority: priority === "" ? undefined : (priority as TaskPriority) })
        }
      />
      <SelectField
        label="Order"
        value={search.order ?? "newest"}
        options={TASK_ORDERS.map((order) => ({
          value: order,
          label: order === "newest" ? "Newest first" : "Oldest first",
        }))}
        onChange={(order) =>
          onSearchChange({
            ...search,
            order: order === "newest" ? undefined : (order as TasksSearch["order"]),
          })
        }
      />
    </FilterBar>
  );
}
