import { formatPercent } from "@/lib/format";

/** A share of a whole (0–1) as a small bar with its percentage written next to it. */
export function ShareBar({ share }: { share: number }) {
  return (
    <span className="share">
      <span className="share-track" aria-hidden="true">
        <span className="share-fill" style={{ width: `${Math.min(100, Math.max(0, share * 100))}%` }} />
      </span>
      <span className="share-value">{formatPercent(share)}</span>
    </span>
  );
}
