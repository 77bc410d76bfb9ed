import { createFileRoute } from "@tanstack/react-router";
import { Page } from "@/components/Page";
import { DeploymentSettings } from "@/features/deployment/DeploymentSettings";
import { LogStreamSettings } from "@/features/metrics/LogStreamSettings";
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
      <section aria-labelledby="later-settings-heading" className="stack">
        <h2 id="later-settings-heading">Other settings</h2>
        <p className="planned">Alert thresholds and plan limits come in a later issue.</p>
      </section>
    </Page>
  );
}
