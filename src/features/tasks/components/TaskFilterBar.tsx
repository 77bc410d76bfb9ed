import { useId, useState, type FormEvent } from "react";
import { TASK_PRIORITIES, type TaskPriority } from "@convex/tasks/shared";
import { SelectField } from "@/components/SelectField";
import { TASK_ORDERS, TASK_STATES, type TasksSearch } from "../search";
import { hasFilters } from "../Tasks.utils";

type TaskFilterBarProps = { search: TasksSearch; onSearchChange: (next: TasksSearch) => void };

/** The task filters, kept in the URL; typed text applies on submit, choices at once. */
export function TaskFilterBar({ search, onSearchChange }: TaskFilterBarProps) {
  const ownerId = useId();
  const textId = useId();
  const [draft, setDraft] = useState({ owner: search.owner ?? "", q: search.q ?? "" });
  const [synced, setSynced] = useState({ owner: search.owner, q: search.q });
  // Follow the URL when it changes from outside (back button, pasted link).
  if (synced.owner !== search.owner || synced.q !== search.q) {
    setSynced({ owner: search.owner, q: search.q });
    setDraft({ owner: search.owner ?? "", q: search.q ?? "" });
  }
  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const owner = draft.owner.trim();
    const q = draft.q.trim();
    onSearchChange({ ...search, owner: owner === "" ? undefined : owner, q: q === "" ? undefined : q });
  }
  return (
    <form className="filter-bar" role="search" aria-label="Filter tasks" onSubmit={apply}>
      <div className="field field-inline">
        <label htmlFor={textId}>Text</label>
        <input
          id={textId}
          className="input"
          type="search"
          placeholder="words in the task"
          value={draft.q}
          onChange={(event) => setDraft({ ...draft, q: event.target.value })}
        />
      </div>
      <div className="field field-inline">
        <label htmlFor={ownerId}>Owner email</label>
        <input
          id={ownerId}
          className="input"
          type="email"
          placeholder="exact email"
          value={draft.owner}
          onChange={(event) => setDraft({ ...draft, owner: event.target.value })}
        />
      </div>
      <button type="submit" className="button">
        Apply
      </button>
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
      {hasFilters(search) && (
        <button type="button" className="link-button" onClick={() => onSearchChange({ order: search.order })}>
          Clear filters
        </button>
      )}
    </form>
  );
}
