type ExportCsvButtonProps = {
  /** Rows the export would hold; with none the button is disabled rather than writing an empty file. */
  rowCount: number;
  onExport: () => void;
};

/** The "Export CSV" action beside a table: the rows as shown, filtered and sorted. */
export function ExportCsvButton({ rowCount, onExport }: ExportCsvButtonProps) {
  return (
    <button type="button" className="button button-small" disabled={rowCount === 0} onClick={onExport}>
      Export CSV
    </button>
  );
}
