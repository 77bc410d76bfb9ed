import { Link } from "@tanstack/react-router";
import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";

type AlertsOverview = FunctionReturnType<typeof api.alerts.alerts.overview>;

/** Shown at the top only while something fires (pending alerts wait on the Alerts page); each opens there. */
export function FiringAlertsStrip({ alerts }: { alerts: AlertsOverview | undefined }) {
  const firing = (alerts?.open ?? []).filter((alert) => alert.state !== "pending");
  if (firing.length === 0) return null;
  return (
    <section className="card firing-strip" aria-labelledby="firing-strip-heading">
      <h2 id="firing-strip-heading">
        {firing.length} alert{firing.length === 1 ? "" : "s"} firing
      </h2>
      <ul className="firing-strip-list">
        {firing.slice(0, 5).map((alert) => (
          <li key={alert._id}>
            <Link
              to="/alerts"
              search={{
                alert: `${alert.ruleKey}/${alert.functionPath === null ? alert.deployment : `${alert.deployment} ${alert.functionPath}`}`,
              }}
            >
              {alert.ruleName} on {alert.deployment}
            </Link>{" "}
            <span className="muted">— {alert.reason}</span>
            {alert.acknowledged !== null && (
              <span className="muted"> · acknowledged by {alert.acknowledged.by}</span>
            )}
          </li>
        ))}
      </ul>
      {firing.length > 5 && <Link to="/alerts">All {firing.length} on the Alerts page</Link>}
    </section>
  );
}
