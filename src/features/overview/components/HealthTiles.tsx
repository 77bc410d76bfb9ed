import { SkeletonRows } from "@/components/Skeleton";
import { useNow } from "@/lib/clock";
import { useOverviewTiles } from "../api";
import { tileStates, type OverviewScope } from "../Overview.utils";
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

/** The last hour's health tiles, each judged by the metrics domain's one rule on the display clock. */
export function HealthTiles({ scope }: { scope: OverviewScope }) {
  const overview = useOverviewTiles(scope.deployment, scope.to);
  const clock = useNow();
  if (overview === undefined) {
    return <SkeletonRows rows={4} label="Loading the health tiles…" />;
  }
  const states = tileStates(overview, clock);
  const now = scope.to;
  return (
    <section aria-labelledby="tiles-heading" className="stack">
      <h2 id="tiles-heading">Last hour</h2>
      <ul className="tiles" aria-label="Health tiles">
        <RequestRateTile overview={overview} now={now} />
        <ErrorRateTile overview={overview} state={states.errorRate} now={now} />
        <LatencyTile overview={overview} state={states.p95} now={now} />
        <OccShareTile overview={overview} state={states.occShare} now={now} />
        <SlowCallsTile overview={overview} now={now} />
        <SchedulerLagTile overview={overview} now={now} />
        <LogStreamTile overview={overview} state={states.logStream} now={now} />
        <ChecklistsTile now={now} />
        <BackupRpoTile />
        <UsageTile now={now} />
      </ul>
    </section>
  );
}
