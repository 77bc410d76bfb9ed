import type { ReactNode } from "react";

export type StaticColumn<Row> = {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Tells apart columns whose header is not a string (e.g. one per series). */
  key?: string;
  /** A class on the column's cells, e.g. `mono` or `cell-wrap`. */
  className?: string;
  /** The column's name on a phone card (with the `data-table-cards` class); defaults to a text header. */
  label?: string;
};

type StaticTableProps<Row> = {
  /** Names the table for screen readers; visually hidden unless `showCaption`. */
  caption: ReactNode;
  showCaption?: boolean;
  columns: ReadonlyArray<StaticColumn<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  className?: string;
  /**
   * Wraps the table in a sideways-scrolling box; with a name, the box is a focusable region so
   * keyboard users can scroll it too.
   */
  scroll?: boolean | string;
};

function columnKey(column: StaticColumn<never>, index: number): string {
  return column.key ?? (typeof column.header === "string" ? column.header : String(index));
}

/**
 * A small table of rows that are all on screen at once (a card's top five, a chart's data), without
 * sorting or virtualising: DataTable is for the long lists.
 */
export function StaticTable<Row>({
  caption,
  showCaption = false,
  columns,
  rows,
  rowKey,
  className = "data-table compact-table",
  scroll = false,
}: StaticTableProps<Row>) {
  const table = (
    <table className={className}>
      <caption className={showCaption ? undefined : "visually-hidden"}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={columnKey(column, index)} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column, index) => (
              <td
                key={columnKey(column, index)}
                className={column.className}
                data-label={column.label ?? (typeof column.header === "string" ? column.header : undefined)}
              >
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  if (scroll === false) return table;
  return typeof scroll === "string" ? (
    <div className="table-scroll" role="region" aria-label={scroll} tabIndex={0}>
      {table}
    </div>
  ) : (
    <div className="table-scroll">{table}</div>
  );
}
