import {
  createColumnHelper,
  createSortedRowModel,
  functionalUpdate,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
  type CellData,
  type ColumnDef,
  type Row,
  type RowData,
  type SortingState,
  type TableFeatures,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef, type ReactNode, type RefObject } from "react";

/** The one feature set every console table uses: client-side sorting of the rows it was given. */
const sortableTable = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: {
    alphanumeric: sortFn_alphanumeric,
    basic: sortFn_basic,
    datetime: sortFn_datetime,
    text: sortFn_text,
  },
});

type SortableTableFeatures = typeof sortableTable;

/* eslint-disable @typescript-eslint/no-unused-vars -- an augmentation repeats the library's type parameters */
declare module "@tanstack/react-table" {
  interface ColumnMeta<
    in out TFeatures extends TableFeatures,
    in out TData extends RowData,
    TValue extends CellData = CellData,
  > {
    /** A class on the column's header and cells, e.g. to hide a secondary column on narrow screens. */
    className?: string;
    /** The column's name on a phone, where each row is a card of label–value lines; defaults to a text header. */
    label?: string;
  }
}
/* eslint-enable @typescript-eslint/no-unused-vars */

export type { SortingState };

export function columnHelperFor<TData extends RowData>() {
  return createColumnHelper<SortableTableFeatures, TData>();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns of one table hold different value types
type DataTableColumns<TData extends RowData> = Array<ColumnDef<SortableTableFeatures, TData, any>>;

/** Tables with more rows than this render only the rows in view. */
const VIRTUALIZE_AFTER = 200;
/** Estimated height of one body row in pixels; rows are measured once rendered. */
const ESTIMATED_ROW_HEIGHT = 34;

type DataTableProps<TData extends RowData> = {
  /** Names the table for screen readers; visually hidden. */
  caption: string;
  columns: DataTableColumns<TData>;
  data: TData[];
  getRowId: (row: TData) => string;
  initialSorting?: SortingState;
  /** Controlled sorting, e.g. kept in the URL; pair with onSortingChange. */
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  empty?: ReactNode;
  /**
   * Called when a row is clicked. Mouse convenience only: the row must also hold a button or link that
   * does the same, so keyboard and screen-reader users reach it.
   */
  onRowClick?: (row: TData) => void;
  /** The id of the row to highlight as the current one (e.g. the one open in a drawer). */
  currentRowId?: string;
  /** Rows past which only the visible rows are rendered. */
  virtualizeAfter?: number;
};

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;

/** The label a cell carries into its card on a phone: the column's text header or its meta label. */
function labelOf(column: { columnDef: { header?: unknown; meta?: { label?: string } } }): string {
  const { header, meta } = column.columnDef;
  return meta?.label ?? (typeof header === "string" ? header : "");
}

export function DataTable<TData extends RowData>({
  caption,
  columns,
  data,
  getRowId,
  initialSorting = [],
  sorting,
  onSortingChange,
  empty = "Nothing here yet.",
  onRowClick,
  currentRowId,
  virtualizeAfter = VIRTUALIZE_AFTER,
}: DataTableProps<TData>) {
  const table = useTable({
    features: sortableTable,
    columns,
    data,
    getRowId,
    initialState: { sorting: initialSorting },
    ...(sorting !== undefined && {
      state: { sorting },
      onSortingChange: (updater) => onSortingChange?.(functionalUpdate(updater, sorting)),
    }),
  });
  const rows = table.getRowModel().rows;
  const columnCount = table.getAllLeafColumns().length;
  const virtual = rows.length > virtualizeAfter;
  const scrollRef = useRef<HTMLDivElement>(null);

  function renderRow(
    row: Row<SortableTableFeatures, TData>,
    ref?: (element: HTMLElement | null) => void,
    index?: number,
  ) {
    return (
      <tr
        key={row.id}
        ref={ref}
        data-index={index}
        aria-rowindex={virtual && index !== undefined ? index + 2 : undefined}
        aria-current={row.id === currentRowId ? "true" : undefined}
        className={
          [onRowClick ? "row-clickable" : "", row.id === currentRowId ? "row-current" : ""]
            .filter(Boolean)
            .join(" ") || undefined
        }
        onClick={
          onRowClick
            ? (event) => {
                // Buttons and links inside the row do their own thing.
                if ((event.target as HTMLElement).closest("a, button, input, select")) return;
                onRowClick(row.original);
              }
            : undefined
        }
      >
        {row.getAllCells().map((cell) => (
          <td
            key={cell.id}
            className={cell.column.columnDef.meta?.className}
            data-label={labelOf(cell.column)}
          >
            <table.FlexRender cell={cell} />
          </td>
        ))}
      </tr>
    );
  }

  return (
    <div className={virtual ? "table-scroll table-scroll-virtual" : "table-scroll"} ref={scrollRef}>
      <table className="data-table data-table-cards" aria-rowcount={virtual ? rows.length + 1 : undefined}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={virtual ? 1 : undefined}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={header.column.columnDef.meta?.className}
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
        {rows.length === 0 ? (
          <tbody>
            <tr>
              <td className="table-empty" colSpan={columnCount}>
                {empty}
              </td>
            </tr>
          </tbody>
        ) : virtual ? (
          <VirtualBody rows={rows} columnCount={columnCount} scrollRef={scrollRef} renderRow={renderRow} />
        ) : (
          <tbody>{rows.map((row) => renderRow(row))}</tbody>
        )}
      </table>
    </div>
  );
}

type VirtualBodyProps<TRow> = {
  rows: TRow[];
  columnCount: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  renderRow: (row: TRow, ref: (element: HTMLElement | null) => void, index: number) => ReactNode;
};

/** Renders the rows in view plus a margin, with spacer rows keeping the scrollbar true to size. */
function VirtualBody<TRow>({ rows, columnCount, scrollRef, renderRow }: VirtualBodyProps<TRow>) {
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 0, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <tbody>
      {before > 0 && (
        <tr aria-hidden="true" className="virtual-spacer">
          <td colSpan={columnCount} style={{ height: before }} />
        </tr>
      )}
      {items.map((item) => {
        const row = rows[item.index];
        return row === undefined ? null : renderRow(row, virtualizer.measureElement, item.index);
      })}
      {after > 0 && (
        <tr aria-hidden="true" className="virtual-spacer">
          <td colSpan={columnCount} style={{ height: after }} />
        </tr>
      )}
    </tbody>
  );
}
