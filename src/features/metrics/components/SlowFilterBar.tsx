import { useId, useState, type FormEvent } from "react";
import { SelectField } from "@/components/SelectField";
import { parseMinMs } from "../Metrics.utils";
import { FUNCTION_TYPES, type FunctionType } from "../search";
import type { SlowQueriesPageProps } from "../slowQueriesView";

/** Path, type and minimum-duration filters of the Slow queries page, applied through the URL. */
export function SlowFilterBar({ search, onSearchChange }: SlowQueriesPageProps) {
  const fnId = useId();
  const minId = useId();
  const [fnDraft, setFnDraft] = useState(search.fn ?? "");
  const [minDraft, setMinDraft] = useState(search.minMs?.toString() ?? "");
  const [synced, setSynced] = useState({ fn: search.fn, minMs: search.minMs });
  // Follow the URL when it changes from outside (back button, pasted link, a link from another page).
  if (synced.fn !== search.fn || synced.minMs !== search.minMs) {
    setSynced({ fn: search.fn, minMs: search.minMs });
    setFnDraft(search.fn ?? "");
    setMinDraft(search.minMs?.toString() ?? "");
  }
  const view = search.view ?? "functions";

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fn = fnDraft.trim();
    onSearchChange({ ...search, fn: fn === "" ? undefined : fn, minMs: parseMinMs(minDraft) });
  }

  const filtered = search.fn !== undefined || search.type !== undefined || search.minMs !== undefined;
  return (
    <form className="filter-bar" role="search" aria-label="Filter slow queries" onSubmit={apply}>
      <div className="field field-inline">
        <label htmlFor={fnId}>Function</label>
        <input
          id={fnId}
          className="input"
          type="search"
          placeholder="part of the path, e.g. tasks:list"
          value={fnDraft}
          onChange={(event) => setFnDraft(event.target.value)}
        />
      </div>
      <div className="field field-inline">
        <label htmlFor={minId}>{view === "functions" ? "Minimum p95 (ms)" : "Minimum duration (ms)"}</label>
        <input
          id={minId}
          className="input input-number"
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          value={minDraft}
          onChange={(event) => setMinDraft(event.target.value)}
        />
      </div>
      <button type="submit" className="button">
        Apply
      </button>
      <SelectField
        label="Type"
        value={search.type ?? ""}
        allLabel="All types"
        options={FUNCTION_TYPES}
        onChange={(type) =>
          onSearchChange({ ...search, type: type === "" ? undefined : (type as FunctionType) })
        }
      />
      {filtered && (
        <button
          type="button"
          className="link-button"
          onClick={() => onSearchChange({ ...search, fn: undefined, type: undefined, minMs: undefined })}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
