import { formatDuration } from "@/lib/format";
import { formatAbsolute } from "@/lib/time";
import { highlightSegments, messageOf, type LogRow } from "../Logs.utils";

/** One result: time, level, function, duration, status and the message with the query's words marked. */
export function LogRowView({ row, highlights }: { row: LogRow; highlights: readonly string[] }) {
  if (row.kind === "deploy") {
    return (
      <div className="log-row log-row-deploy">
        <span className="log-time mono">{formatAbsolute(row.ts)}</span>
        <span className="log-deploy">Deploy on {row.deployment}</span>
        <span className="log-message">{row.message}</span>
      </div>
    );
  }
  return (
    <div className={`log-row log-level-${row.level}`}>
      <span className="log-time mono">{formatAbsolute(row.ts)}</span>
      <span className="log-level">{row.level.toUpperCase()}</span>
      <span className="log-function mono">{row.functionPath ?? "—"}</span>
      <span className="log-duration">{row.durationMs === null ? "" : formatDuration(row.durationMs)}</span>
      <span className="log-status">{row.status ?? row.kind}</span>
      <span className="log-message">
        {highlightSegments(messageOf(row), highlights).map((segment, index) =>
          segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
        )}
      </span>
    </div>
  );
}
