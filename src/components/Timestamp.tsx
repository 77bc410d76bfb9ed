import { formatAbsolute, formatIso, formatRelative } from "@/lib/time";
import { useNow } from "@/lib/clock";

/** Local absolute time with a relative hint that stays current while the tab is open. */
export function Timestamp({ ms }: { ms: number }) {
  const now = useNow();
  return (
    <span className="timestamp">
      <time dateTime={formatIso(ms)}>{formatAbsolute(ms)}</time>
      <span className="muted"> · {formatRelative(ms, now)}</span>
    </span>
  );
}
