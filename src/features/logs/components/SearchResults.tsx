import { useState } from "react";
import { SkeletonRows } from "@/components/Skeleton";
import { formatCount } from "@/lib/format";
import { formatAbsolute } from "@/lib/time";
import { useLogSearch } from "../api";
import type { LogRow } from "../Logs.utils";
import { LogList, type LogResultsProps } from "./LogList";
import { RowActions } from "./RowActions";

type Cursor = { ts: number; creationTime: number } | null;

/** One page of results at a time, newest first; older pages continue from where this one stopped reading. */
export function SearchResults({ query, now, highlights, onOpen }: LogResultsProps) {
  const [cursors, setCursors] = useState<Cursor[]>([null]);
  const [selected, setSelected] = useState<number | null>(null);
  const cursor = cursors[cursors.length - 1]!;
  const page = useLogSearch({ query, now, cursor });
  if (page === undefined) return <SkeletonRows rows={8} label="Searching the logs…" />;

  const open = (row: LogRow) => row.requestId !== null && onOpen(row.requestId, row.deployment);
  const go = (next: Cursor[]) => {
    setSelected(null);
    setCursors(next);
  };
  return (
    <section aria-label="Search results" className="log-results">
      {page.gaps.map((gap) => (
        <p key={`${gap.deployment}-${gap.from}`} className="notice notice-warning">
          No events received from <span className="mono">{gap.deployment}</span> between {formatAbsolute(gap.from)} and{" "}
          {formatAbsolute(gap.to)}: Convex's log stream is best effort, so events from then may be missing.
        </p>
      ))}
      <RowActions rows={page.rows} selected={selected} onSelect={setSelected} onOpen={open} />
      <LogList
        label="Log results"
        rows={page.rows}
        highlights={highlights}
        selected={selected}
        onSelect={setSelected}
        onOpen={open}
        empty={
          page.budgetHit
            ? null
            : cursors.length > 1
              ? "No older events match."
              : "No stored event matches this query."
        }
      />
      <p className="muted log-page-summary" role="status">
        {formatCount(page.rows.length)} {page.rows.length === 1 ? "event" : "events"} on this page, from{" "}
        {formatCount(page.scanned)} read
        {page.index === "by_ts" ? " in time order (no index serves this filter)" : ` through the ${page.index.replace("by_", "")} index`}.
      </p>
      {page.budgetHit && (
        <p className="notice">
          Scanned {formatCount(page.scanned)} events without filling the page: this filter cannot use an index.{" "}
          <button type="button" className="button button-small" onClick={() => go([...cursors, page.cursor])}>
            Continue scanning
          </button>
        </p>
      )}
      <div className="toolbar">
        <button type="button" className="button" disabled={cursors.length === 1} onClick={() => go(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" className="button" disabled={page.cursor === null || page.budgetHit} onClick={() => go([...cursors, page.cursor])}>
          Older
        </button>
      </div>
    </section>
  );
}
