import { FilterBar } from "@/components/FilterBar";
import { SelectField } from "@/components/SelectField";
import { parseMinMs } from "../Metrics.utils";
import { FUNCTION_TYPES, type FunctionType } from "../search";
import type { SlowQueriesPageProps } from "../slowQueriesView";

/** Path, type and minimum-duration filters of the Slow queries page, applied through the URL. */
export function SlowFilterBar({ search, onSearchChange }: SlowQueriesPageProps) {
  const view = search.view ?? "functions";
  return (
    <FilterBar
      label="Filter slow queries"
      fields={[
        {
          name: "fn",
          label: "Function",
          value: search.fn ?? "",
          type: "search",
          placeholder: "part of the path, e.g. tasks:list",
        },
        {
          name: "minMs",
          label: view === "functions" ? "Minimum p95 (ms)" : "Minimum duration (ms)",
          value: search.minMs?.toString() ?? "",
          type: "number",
        },
      ]}
      onApply={({ fn, minMs }) => onSearchChange({ ...search, fn, minMs: parseMinMs(minMs ?? "") })}
      filtered={search.fn !== undefined || search.type !== undefined || search.minMs !== undefined}
      onClear={() => onSearchChange({ ...search, fn: undefined, type: undefined, minMs: undefined })}
    >
      <SelectField
        label="Type"
        value={search.type ?? ""}
        allLabel="All types"
        options={FUNCTION_TYPES}
        onChange={(type) =>
          onSearchChange({ ...search, type: type === "" ? undefined : (type as FunctionType) })
        }
      />
    </FilterBar>
  );
}
