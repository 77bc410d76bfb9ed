import { Link } from "@tanstack/react-router";
import { FunctionLink } from "@/components/FunctionLink";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { formatCount } from "@/lib/format";
import { RANGE_LABELS } from "@/lib/timeRange";
import { useErrorGroups } from "../api";
import { metricsSearch, type OverviewScope } from "../Overview.utils";

const NEWEST_GROUPS = 5;

/** The range's newest error groups, each linking to the Errors page filtered to its code. */
export function NewestErrorGroups({ scope }: { scope: OverviewScope }) {
  const answer = useErrorGroups({ deployment: scope.deployment, from: scope.from, to: scope.to });
  if (answer === undefined) {
    return <SkeletonRows rows={5} label="Loading error groups…" />;
  }
  const newest = answer.groups.slice(0, NEWEST_GROUPS);
  const errors = metricsSearch(scope);
  return (
    <section aria-labelledby="groups-heading" className="stack card">
      <div className="toolbar">
        <h2 id="groups-heading">Newest error groups · {RANGE_LABELS[scope.range].toLowerCase()}</h2>
        <Link to="/errors" search={errors}>
          All errors
        </Link>
      </div>
      {newest.length === 0 ? (
        <p className="muted">No failures in this range.</p>
      ) : (
        <ul className="group-list">
          {newest.map((group) => (
            <li key={group.groupId}>
              <p>
                <Link to="/errors" search={{ ...errors, errorCode: group.code }}>
                  <code className="error-code">{group.code}</code>
                </Link>{" "}
                <FunctionLink deployment={scope.deployment} functionPath={group.functionPath} /> ·{" "}
                {formatCount(group.count)}×
              </p>
              <p className="group-message">{group.message}</p>
              <p className="muted">
                Last seen <Timestamp ms={group.lastSeen} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
