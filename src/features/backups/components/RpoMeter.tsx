import { RPO_STATE_LABELS, RPO_TONES, rpoStatus } from "@convex/backups/shared";
import { SkeletonRows } from "@/components/Skeleton";
import { useNow } from "@/lib/clock";
import { useRpo } from "../api";

/** Age of the newest verified backup against the target, ticking with the page's clock. */
export function RpoMeter() {
  const rpo = useRpo();
  const now = useNow(30_000);
  if (rpo === undefined) return <SkeletonRows rows={1} label="Loading the RPO…" />;
  const status = rpoStatus({ newestVerifiedAt: rpo.newestVerifiedAt, now, targetMs: rpo.targetMs });
  const used =
    status.ageMs === null ? 100 : Math.min(100, Math.round((status.ageMs / status.targetMs) * 100));
  const tone = `tile-${RPO_TONES[status.state]}`;
  return (
    <section aria-labelledby="rpo-heading" className={`tile ${tone}`}>
      <h2 id="rpo-heading" className="tile-label">
        Recovery point objective
      </h2>
      <p className="tile-value">{RPO_STATE_LABELS[status.state]}</p>
      <meter
        aria-label="Age of the newest verified backup against the RPO target"
        min={0}
        max={100}
        low={80}
        high={99}
        optimum={0}
        value={used}
      />
      <p>{status.sentence}</p>
    </section>
  );
}
