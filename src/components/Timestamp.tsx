import { useEffect, useState } from "react";
import { formatAbsolute, formatIso, formatRelative } from "../lib/time";

const REFRESH_MS = 30_000;

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

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
