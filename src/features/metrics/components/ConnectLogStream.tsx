import { Link } from "@tanstack/react-router";
import { logStreamWebhookUrl } from "../logStreamUrl";

/** The empty state of every metrics page: no deployment has streamed here yet, so there is nothing to show. */
export function ConnectLogStream() {
  const webhookUrl = logStreamWebhookUrl(import.meta.env.VITE_CONVEX_URL);
  return (
    <section className="notice notice-info empty-state" aria-labelledby="connect-heading">
      <h2 id="connect-heading">No log stream connected yet</h2>
      <p>
        Metrics come from the Convex log stream of the deployment you want to watch. Nothing has arrived here
        yet, so there is nothing to chart.
      </p>
      <ol className="steps">
        <li>
          In the Convex dashboard of the deployment to watch, open <strong>Integrations → Log streams</strong>{" "}
          and add a <strong>Webhook</strong>.
        </li>
        <li>
          Set its URL to <code className="copyable">{webhookUrl ?? "<CONVEX_SITE_URL>/log-stream"}</code>
          {webhookUrl === null && " (the HTTP actions URL of this console's deployment)"} and the format to
          JSON.
        </li>
        <li>
          Copy the webhook secret Convex shows and paste it in{" "}
          <Link to="/settings">Settings → Log stream</Link>.
        </li>
      </ol>
      <p className="muted">Charts and tables fill in as soon as the first batch of events is accepted.</p>
    </section>
  );
}
