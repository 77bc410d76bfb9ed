import { useEffect, useRef, useState } from "react";
import { SkeletonRows } from "@/components/Skeleton";
import { formatCount } from "@/lib/format";
import { LOG_LIMITS } from "@convex/logs/shared";
import { useLogTail } from "../api";
import { appendToTail, emptyTail, type LogRow } from "../Logs.utils";
import { LogList, type LogResultsProps } from "./LogList";
import { RowActions } from "./RowActions";


/**
 * The query, live: each answer carries where the next starts, so the subscription moves forward
 * by arrival and nothing is fetched twice. Newest at the bottom; scrolling up pauses following
 * (rows keep arriving into the buffer) and "N new" resumes.
 */
export function LiveTail({ query, now, highlights, onOpen }: LogResultsProps) {
  const [after, setAfter] = useState<number | undefined>(undefined);
  const [buffer, setBuffer] = useState(emptyTail);
  const [paused, setPaused] = useState(false);
  const [unseen, setUnseen] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const result = useLogTail({ query, now, ...(after !== undefined && { after }) });

  // Each answer is taken in once, while rendering (no effect round trip): append, then move on.
  const [taken, setTaken] = useState(result);
  if (result !== undefined && result !== taken) {
    setTaken(result);
    const next = appendToTail(buffer, result.rows, LOG_LIMITS.tailBuffer);
    const added = next.rows.length - buffer.rows.length + (next.dropped - buffer.dropped);
    if (paused && added > 0) setUnseen(unseen + added);
    setBuffer(next);
    if (result.next !== after) setAfter(result.next);
  }

  useEffect(() => {
    if (!paused) scrollRef.current?.scrollTo({ top: scrollRef.current.scrollHeight });
  }, [buffer, paused]);

  if (result === undefined && after === undefined) return <SkeletonRows rows={8} label="Starting the live tail…" />;

  const open = (row: LogRow) => row.requestId !== null && onOpen(row.requestId, row.deployment);
  const resume = () => {
    setPaused(false);
    setUnseen(0);
  };
  return (
    <section aria-label="Live tail" className="log-results">
      <div className="toolbar log-tail-status">
        <span role="status">
          {paused ? "Paused" : "Following"} · {formatCount(buffer.rows.length)} rows in this view
          {buffer.dropped > 0 && ` · ${formatCount(buffer.dropped)} older rows dropped (the view keeps ${formatCount(LOG_LIMITS.tailBuffer)})`}
        </span>
        {paused ? (
          <button type="button" className="button button-small button-primary" onClick={resume}>
            {unseen > 0 ? `${formatCount(unseen)} new · Resume` : "Resume"}
          </button>
        ) : (
          <button type="button" className="button button-small" onClick={() => setPaused(true)}>
            Pause
          </button>
        )}
      </div>
      <RowActions rows={buffer.rows} selected={selected} onSelect={setSelected} onOpen={open} />
      <LogList
        label="Live log"
        rows={buffer.rows}
        highlights={highlights}
        selected={selected}
        onSelect={(index) => {
          setSelected(index);
          if (index !== null) setPaused(true);
        }}
        onOpen={open}
        virtual
        scrollRef={scrollRef}
        onScroll={(atEnd) => {
          if (!atEnd && !paused) setPaused(true);
        }}
        empty="Waiting for matching events…"
      />
    </section>
  );
}
