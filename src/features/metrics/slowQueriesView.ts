import type { SortingState } from "@/components/DataTable";
import type { MetricsScopeValue } from "./components/MetricsScope";
import { readSort, writeSort, type SearchChange, type SlowQueriesSearch } from "./search";

export type SlowQueriesPageProps = {
  search: SlowQueriesSearch;
  onSearchChange: SearchChange<SlowQueriesSearch>;
};

/** What each Slow queries view gets: the page's URL state and the chosen deployment and range. */
export type SlowQueriesViewProps = SlowQueriesPageProps & { scope: MetricsScopeValue };

/** A table's sorting kept in the URL, so a shared link opens sorted the same way. */
export function useUrlSorting(
  search: SlowQueriesSearch,
  onSearchChange: SearchChange<SlowQueriesSearch>,
  columnIds: readonly string[],
  fallback: { id: string; desc: boolean },
): [SortingState, (sorting: SortingState) => void] {
  const sorting = [readSort(search.sort, columnIds) ?? fallback];
  return [sorting, (next) => onSearchChange({ ...search, sort: writeSort(next[0]) })];
}
