import { Link } from "@tanstack/react-router";
import type { TileJudgement } from "@convex/alerts/shared";
import { durationInWords, rpoStatus } from "@convex/backups/shared";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { useNow } from "@/lib/clock";
import { ruleText } from "@/lib/ruleVerdict";
import { useBackupRpo } from "../api";
import { LoadingTile, Tile } from "./Tile";

const LABEL = "Backups (RPO)";

/** `judgement` is undefined while the alert rules load. */
type RpoTileProps = { judgement: TileJudgement | undefined };

/**
 * The age of the newest verified backup against the RPO target, coloured by the backup-RPO alert
 * rule's state like every health tile. A failure to read it stays inside this tile, so the health
 * tiles beside it still show.
 */
export function BackupRpoTile({ judgement }: RpoTileProps) {
  return (
    <ErrorBoundary
      fallback={(error, reset) => (
        <li className="tile tile-none">
          <p className="tile-label">{LABEL}</p>
          <ErrorNotice error={error} title="Could not load the RPO" onRetry={reset} />
        </li>
      )}
    >
      <RpoTileContent judgement={judgement} />
    </ErrorBoundary>
  );
}

/** The age is re-read on the page's clock, so it grows live between backups and evaluations. */
function RpoTileContent({ judgement }: RpoTileProps) {
  const rpo = useBackupRpo();
  const clock = useNow(30_000);
  if (rpo === undefined || judgement === undefined) {
    return <LoadingTile label={LABEL} loading="Loading the RPO…" />;
  }
  const status = rpoStatus({ newestVerifiedAt: rpo.newestVerifiedAt, now: clock, targetMs: rpo.targetMs });
  return (
    <Tile
      label={LABEL}
      value={
        <Link to="/backups" className="tile-link">
          {status.ageMs === null ? "No verified backup yet" : `${durationInWords(status.ageMs)} old`}
        </Link>
      }
      state={judgement.verdict}
      thresholdText={`${ruleText(judgement)} · target ${durationInWords(status.targetMs)}`}
    />
  );
}
