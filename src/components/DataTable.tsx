import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import type { ReactNode } from "react";

/** The one feature set every console table uses: client-side sorting of the rows it was given. */
export const sortableTable = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: {
    alphanumeric: sortFn_alphanumeric,
    basic: sortFn_basic,
    datetime: sortFn_datetime,
    text: sortFn_text,
  },
});

export type SortableTableFeatures = typeof sortableTable;

export function columnHelperFor<TData extends RowData>() {
  return createColumnHelper<SortableTableFeatures, TData>();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns of one table hold different value types
export type DataTableColumns<TData extends RowData> = Array<ColumnDef<SortableTableFeatures, TData, any>>;

type DataTableProps<TData extends RowData> = {
  /** Names the table for screen readers; visually hidden. */
  caption: string;
  columns: DataTableColumns<TData>;
  data: TData[];
  getRowId: (row: TData) => string;
  initialSorting?: SortingState;
  empty?: ReactNode;
};

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;

export function DataTable<TData extends RowData>({
  caption,
  columns,
  data,
  getRowId,
  initialSorting = [],
  empty = "Nothing here yet.",
}: DataTableProps<TData>) {
  const table = useTable({
    features: sortableTable,
    columns,
    data,
    getRowId,
    initialState: { sorting: initialSorting },
  });
  const rows = table.getRowModel().rows;

  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={canSort ? (sorted ? ARIA_SORT[sorted] : "none") : undefined}
                  >
                    {header.isPlaceholder ? null : canSort ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        <span className="sort-indicator" aria-hidden="true">
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td className="table-empty" colSpan={table.getAllLeafColumns().length}>
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
