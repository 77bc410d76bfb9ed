import { useState } from "react";
import { downloadCsv, fileStamp, saveBlob } from "@/lib/csv";
import { nextErrorIndex, rowLine, toJsonl, toLogCsv, type LogRow } from "../Logs.utils";

type Props = {
  rows: readonly LogRow[];
  selected: number | null;
  onSelect: (index: number) => void;
  onOpen: (row: LogRow) => void;
};

/** What can be done with the selected row and the rows on screen. */
export function RowActions({ rows, selected, onSelect, onOpen }: Props) {
  const [copied, setCopied] = useState<string | null>(null);
  const current = selected === null ? undefined : rows[selected];
  const copy = async () => {
    if (current === undefined) return;
    try {
      await navigator.clipboard.writeText(rowLine(current));
      setCopied("Copied the row as one line.");
    } catch {
      setCopied("The browser refused the clipboard; select the row's text instead.");
    }
  };
  const stamp = () => fileStamp(new Date());
  return (
    <div className="toolbar log-actions" role="toolbar" aria-label="Results">
      <button
        type="button"
        className="button button-small"
        disabled={nextErrorIndex(rows, selected ?? -1) === null}
        onClick={() => {
          const next = nextErrorIndex(rows, selected ?? -1);
          if (next !== null) onSelect(next);
        }}
      >
        Jump to next error
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={current?.requestId == null}
        onClick={() => current !== undefined && onOpen(current)}
      >
        Open timeline
      </button>
      <button type="button" className="button button-small" disabled={current === undefined} onClick={() => void copy()}>
        Copy row
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={rows.length === 0}
        onClick={() => saveBlob(`logs-${stamp()}.jsonl`, new Blob([toJsonl(rows)], { type: "application/x-ndjson" }))}
      >
        Export JSONL
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={rows.length === 0}
        onClick={() => downloadCsv(`logs-${stamp()}.csv`, toLogCsv(rows))}
      >
        Export CSV
      </button>
      <span role="status" className="muted">
        {copied}
      </span>
    </div>
  );
}
