import { createFileRoute, Link } from "@tanstack/react-router";
import { Page } from "@/components/Page";

export const Route = createFileRoute("/alerts")({
  component: AlertsPage,
});

/** Alerts are not built yet: an empty state that says what they will do, not a page that looks broken. */
function AlertsPage() {
  return (
    <Page
      title="Alerts"
      description="Rules that watch the deployments and tell the team when something needs a person."
    >
      <section className="card empty-state" aria-labelledby="alerts-empty-heading">
        <h2 id="alerts-empty-heading">No alert rules yet</h2>
        <p>
          Alert rules are coming to this page. Each rule will watch one signal for a deployment — error rate,
          p95 latency, write conflicts, slow calls, scheduler lag, a silent log stream, storage and usage
          against the plan, or the age of the newest verified backup — and open an alert when it stays past
          its threshold, with the reason written down.
        </p>
        <p>
          Operators will acknowledge alerts and silence them for a while with a comment; each alert closes
          itself when the signal recovers, and the team is told on its webhook or Slack channel.
        </p>
        <p>
          Until then, the <Link to="/">Overview</Link> tiles turn amber or red against the same thresholds.
        </p>
      </section>
    </Page>
  );
}
