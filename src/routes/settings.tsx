import { createFileRoute, Link } from "@tanstack/react-router";
import { Page } from "@/components/Page";
import { DeploymentSettings } from "@/features/deployment/components/DeploymentSettings";
import { LogStreamSettings } from "@/features/metrics/components/LogStreamSettings";
import { TeamTimeZone } from "@/features/settings/components/TeamTimeZone";
import { ThresholdSettings } from "@/features/settings/components/ThresholdSettings";

export const Route = createFileRoute("/settings")({
  component: SettingsPage,
});

function SettingsPage() {
  return (
    <Page
      title="Settings"
      description="How this console receives metrics and judges them, and who may change that."
    >
      <LogStreamSettings />
      <ThresholdSettings />
      <TeamTimeZone />
      <DeploymentSettings />
      <section aria-labelledby="other-settings-heading" className="stack">
        <h2 id="other-settings-heading">Elsewhere</h2>
        <p className="muted">
          The plan and its included amounts are chosen on the <Link to="/usage">Usage</Link> page. The
          Overview tiles turn red when their alert rules fire; the rules' thresholds (error rate 1 %, p95 500
          ms, write conflicts 5 % until changed) are edited on the <Link to="/alerts">Alerts</Link> page.
        </p>
      </section>
    </Page>
  );
}
