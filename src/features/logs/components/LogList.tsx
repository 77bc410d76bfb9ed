import { useId, useRef, type KeyboardEvent, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { LogRow } from "../Logs.utils";
import { LogRowView } from "./LogRowView";

type Props = {
  label: string;
  rows: readonly LogRow[];
  highlights: readonly string[];
  selected: number | null;
  onSelect: (index: number | null) => void;
  onOpen: (row: LogRow) => void;
  /** Virtualise (the tail's buffer); a result page of ≤ 100 rows renders whole. */
  virtual?: boolean;
  onScroll?: (atEnd: boolean) => void;
  scrollRef?: React.RefObject<HTMLDivElement | null>;
  empty: ReactNode;
};

/** What the search results and the live tail both take: the query, the clock and how to open a request. */
export type LogResultsProps = {
  query: string;
  now: number;
  highlights: string[];
  onOpen: (requestId: string, deployment: string) => void;
};

const ROW_HEIGHT = 30;

/**
 * Results as a listbox: ↑/↓ move the selection, Enter opens the selected row's request timeline,
 * Esc clears the selection. Actions on the selected row live in the toolbar above, so no control
 * nests inside an option.
 */
export function LogList({ label, rows, highlights, selected, onSelect, onOpen, virtual, onScroll, scrollRef, empty }: Props) {
  const id = useId();
  const ownRef = useRef<HTMLDivElement>(null);
  const containerRef = scrollRef ?? ownRef;
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => containerRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  const onKeyDown = (event: KeyboardEvent) => {
    if (rows.length === 0) return;
    const move = (index: number) => {
      event.preventDefault();
      onSelect(index);
      if (virtual) virtualizer.scrollToIndex(index);
      else document.getElementById(`${id}-${index}`)?.scrollIntoView({ block: "nearest" });
    };
    if (event.key === "ArrowDown") move(Math.min(rows.length - 1, (selected ?? -1) + 1));
    else if (event.key === "ArrowUp") move(Math.max(0, (selected ?? rows.length) - 1));
    else if (event.key === "Enter" && selected !== null) {
      event.preventDefault();
      onOpen(rows[selected]!);
    } else if (event.key === "Escape" && selected !== null) {
      event.preventDefault();
      onSelect(null);
    }
  };

  if (rows.length === 0) return <div className="log-empty">{empty}</div>;

  const option = (row: LogRow, index: number) => (
    <div
      key={row._id}
      id={`${id}-${index}`}
      role="option"
      aria-selected={selected === index}
      className={selected === index ? "log-option log-option-selected" : "log-option"}
      onClick={() => onSelect(index)}
      onDoubleClick={() => onOpen(row)}
    >
      <LogRowView row={row} highlights={highlights} />
    </div>
  );

  return (
    <div
      ref={containerRef}
      className={virtual ? "log-list log-list-virtual" : "log-list"}
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={selected === null ? undefined : `${id}-${selected}`}
      onKeyDown={onKeyDown}
      onScroll={
        onScroll &&
        ((event) => {
          const element = event.currentTarget;
          onScroll(element.scrollHeight - element.scrollTop - element.clientHeight < ROW_HEIGHT);
        })
      }
    >
      {virtual ? (
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
              data-index={item.index}
              ref={virtualizer.measureElement}
            >
              {option(rows[item.index]!, item.index)}
            </div>
          ))}
        </div>
      ) : (
        rows.map(option)
      )}
    </div>
  );
}
