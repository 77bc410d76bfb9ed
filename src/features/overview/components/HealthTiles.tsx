import { SkeletonRows } from "@/components/Skeleton";
import { useOverviewTiles, useTileRules } from "../api";
import type { OverviewScope } from "../Overview.utils";
import { BackupRpoTile } from "./BackupRpoTile";
import { ChecklistsTile } from "./ChecklistsTile";
import { ErrorRateTile } from "./ErrorRateTile";
import { LatencyTile } from "./LatencyTile";
import { LogStreamTile } from "./LogStreamTile";
import { OccShareTile } from "./OccShareTile";
import { RequestRateTile } from "./RequestRateTile";
import { SchedulerLagTile } from "./SchedulerLagTile";
import { SlowCallsTile } from "./SlowCallsTile";
import { UsageTile } from "./UsageTile";

/**
 * The last hour's health tiles, each coloured by its alert rules' state: red exactly when one fires.
 * The tiles that read their own data are mounted from the start, so their queries go out with the
 * page's instead of after the tiles' figures have arrived.
 */
export function HealthTiles({ scope }: { scope: OverviewScope }) {
  const overview = useOverviewTiles(scope.deployment, scope.to);
  const rules = useTileRules(scope.deployment);
  const now = scope.to;
  return (
    <section aria-labelledby="tiles-heading" className="stack">
      <h2 id="tiles-heading">Last hour</h2>
      <ul className="tiles" aria-label="Health tiles">
        {overview === undefined || rules === undefined ? (
          <li className="tiles-loading">
            <SkeletonRows rows={4} label="Loading the health tiles…" />
          </li>
        ) : (
          <>
            <RequestRateTile overview={overview} now={now} />
            <ErrorRateTile overview={overview} judgement={rules.error_rate} now={now} />
            <LatencyTile overview={overview} judgement={rules.p95_ms} now={now} />
            <OccShareTile overview={overview} judgement={rules.occ_share} now={now} />
            <SlowCallsTile overview={overview} judgement={rules.slow_calls} now={now} />
            <SchedulerLagTile overview={overview} judgement={rules.scheduler_lag_s} now={now} />
            <LogStreamTile overview={overview} judgement={rules.stream_silent_min} now={now} />
          </>
        )}
        <ChecklistsTile now={now} />
        <BackupRpoTile judgement={rules?.backup_age_share} />
        <UsageTile now={now} judgement={rules?.usage_share} />
      </ul>
    </section>
  );
}
