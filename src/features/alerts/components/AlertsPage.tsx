import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import { useAlertsOverview } from "../api";
import type { AlertsSearch } from "../search";
import { AlertHistory } from "./AlertHistory";
import { ChannelsSection } from "./ChannelsSection";
import { DeliveryLog } from "./DeliveryLog";
import { OpenAlerts } from "./OpenAlerts";
import { RulesSection } from "./RulesSection";
import { SilencesSection } from "./SilencesSection";

/** Open alerts first, then history, silences, channels, rules and the delivery log; all live. */
export function AlertsPage({ search }: { search: AlertsSearch }) {
  const viewer = useViewer();
  const overview = useAlertsOverview();
  const firing = overview?.firing ?? 0;
  const isOperator = viewerHasRole(viewer, "operator");
  const isAdmin = viewerHasRole(viewer, "admin");
  return (
    <Page
      title="Alerts"
      firing={firing}
      description="Rules that watch the deployments and tell the team when something needs a person."
    >
      <div className="stack-lg">
        <section className="stack" aria-labelledby="open-alerts-heading">
          <h2 id="open-alerts-heading">Firing and pending{firing > 0 ? ` (${firing} firing)` : ""}</h2>
          {overview === undefined ? (
            <SkeletonRows rows={3} label="Loading alerts…" />
          ) : (
            <OpenAlerts open={overview.open} canAcknowledge={isOperator} highlighted={search.alert} />
          )}
        </section>
        <section className="stack" aria-labelledby="alert-history-heading">
          <h2 id="alert-history-heading">History</h2>
          {overview === undefined ? (
            <SkeletonRows rows={3} label="Loading history…" />
          ) : (
            <AlertHistory history={overview.history} />
          )}
        </section>
        <SilencesSection canSilence={isOperator} />
        <ChannelsSection isAdmin={isAdmin} />
        <RulesSection isAdmin={isAdmin} />
        <DeliveryLog />
      </div>
    </Page>
  );
}
