import { formatAbsolute, formatIso, formatRelative } from "@/lib/time";
import { useNow } from "@/lib/clock";

/**
 * Local absolute time with a relative hint that stays current while the tab is open. A moment that
 * has happened reads "just now" when the backend's clock is a little ahead; pass `deadline` for an
 * expiry, a lock or a next run, which counts down ("in 5 minutes") and then reads "any moment now".
 */
export function Timestamp({ ms, deadline = false }: { ms: number; deadline?: boolean }) {
  const now = useNow();
  return (
    <span className="timestamp">
      <time dateTime={formatIso(ms)}>{formatAbsolute(ms)}</time>
      <span className="muted"> · {formatRelative(ms, now, deadline ? "deadline" : "past")}</span>
    </span>
  );
}
