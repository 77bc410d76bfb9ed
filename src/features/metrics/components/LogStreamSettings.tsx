import type { FunctionReturnType } from "convex/server";
import { useId, useState, type FormEvent } from "react";
import { api } from "@convex/_generated/api";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { formatCount } from "@/lib/format";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import { useMutationState } from "@/lib/useMutationState";
import { useLogStreamStatus, useSetLogStreamSecret } from "../api";
import { logStreamWebhookUrl } from "../logStreamUrl";

type StreamStatus = FunctionReturnType<typeof api.metrics.webhookSecrets.status>;
type StreamDeployment = StreamStatus["deployments"][number];

/** Settings → Log stream: where Convex must post, the webhook secret, and what each deployment sent. */
export function LogStreamSettings() {
  return (
    <section aria-labelledby="log-stream-heading" className="stack-lg">
      <div className="stack">
        <h2 id="log-stream-heading">Log stream</h2>
        <p className="muted">
          Metrics come from the Convex log stream of each deployment you watch: in its Convex dashboard open{" "}
          <strong>Integrations → Log streams</strong>, add a <strong>Webhook</strong> with the URL below
          (format JSON), then paste the secret Convex generates here.
        </p>
        <WebhookUrl />
      </div>
      <ErrorBoundary title="Could not load the log-stream status">
        <StreamStatusSection />
      </ErrorBoundary>
    </section>
  );
}

function WebhookUrl() {
  const url = logStreamWebhookUrl(import.meta.env.VITE_CONVEX_URL);
  const [copied, setCopied] = useState(false);
  if (url === null) {
    return (
      <p>
        Webhook URL: <code>&lt;CONVEX_SITE_URL&gt;/log-stream</code>, where <code>CONVEX_SITE_URL</code> is
        the HTTP actions URL of this console&apos;s deployment (for a self-hosted backend, the URL it serves
        HTTP actions on).
      </p>
    );
  }
  return (
    <div className="cell-inline">
      <span>Webhook URL:</span>
      <code className="copyable" aria-label="Webhook URL">
        {url}
      </code>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          void navigator.clipboard?.writeText(url).then(() => setCopied(true));
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

function StreamStatusSection() {
  const status = useLogStreamStatus();
  if (status === undefined) {
    return <SkeletonRows rows={4} label="Loading the log-stream status…" />;
  }
  return (
    <div className="stack-lg">
      <SecretSection status={status} />
      <section aria-labelledby="stream-deployments-heading" className="stack">
        <h3 id="stream-deployments-heading">Deployments streaming here</h3>
        <DataTable
          caption="Log-stream status per watched deployment"
          columns={DEPLOYMENT_COLUMNS}
          data={status.deployments}
          getRowId={(row) => row.name}
          initialSorting={[{ id: "lastEventAt", desc: true }]}
          empty="No deployment has sent events yet. Once the webhook is set up in Convex, its verification event appears here."
        />
      </section>
    </div>
  );
}

const SECRET_NAMES: Record<StreamStatus["accepted"][number]["which"], string> = {
  current: "Current secret",
  previous: "Previous secret",
  environment: "LOG_STREAM_WEBHOOK_SECRET",
};

function SecretSection({ status }: { status: StreamStatus }) {
  const { secret, accepted, environmentRetired, problem } = status;
  const viewer = useViewer();
  const isAdmin = viewerHasRole(viewer, "admin");
  return (
    <section aria-labelledby="secret-heading" className="stack">
      <h3 id="secret-heading">Webhook secret</h3>
      {problem !== null && (
        <p className="notice notice-error" role="status">
          {problem}
        </p>
      )}
      {accepted.length === 0 ? (
        <p className="notice notice-warning" role="status">
          No secret configured: every batch is rejected with 401 until an admin pastes the secret Convex shows
          for this log stream (or sets <code>LOG_STREAM_WEBHOOK_SECRET</code> on this console&apos;s
          deployment).
        </p>
      ) : (
        <>
          <p>A batch is accepted only when it is signed with one of these secrets:</p>
          <ul className="stack" aria-label="Secrets accepted now">
            {accepted.map((entry) => (
              <li key={entry.which}>
                {SECRET_NAMES[entry.which]} <code>{entry.masked}</code>{" "}
                {entry.until === null ? (
                  <span className="muted">accepted until the next rotation</span>
                ) : (
                  <span>
                    accepted until <Timestamp ms={entry.until} deadline /> (grace period after it was
                    replaced)
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {environmentRetired && (
        <p className="muted">
          <code>LOG_STREAM_WEBHOOK_SECRET</code> is set but no longer accepted: the secret set here replaced
          it.
        </p>
      )}
      {secret !== null && secret.rotatedAt !== null && (
        <p className="muted">
          Last set <Timestamp ms={secret.rotatedAt} />
          {secret.rotatedBy !== null && <> by {secret.rotatedBy}</>}.
        </p>
      )}
      {viewer === undefined ? null : isAdmin ? (
        <SecretForm hasSecret={accepted.length > 0} />
      ) : (
        <p className="muted">Only admins can set or rotate the webhook secret.</p>
      )}
    </section>
  );
}

function SecretForm({ hasSecret }: { hasSecret: boolean }) {
  const { run: setSecret, pending, error } = useMutationState(useSetLogStreamSecret());
  const inputId = useId();
  const hintId = useId();
  const [value, setValue] = useState("");
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    if ((await setSecret({ secret: value })).ok) {
      setValue("");
      setSaved(true);
    }
  }

  return (
    <form
      className="filter-bar"
      aria-label={hasSecret ? "Rotate the webhook secret" : "Set the webhook secret"}
      onSubmit={submit}
    >
      <div className="field field-inline field-grow">
        <label htmlFor={inputId}>{hasSecret ? "New webhook secret" : "Webhook secret"}</label>
        <input
          id={inputId}
          className="input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={hintId}
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <span id={hintId} className="field-hint">
          The secret Convex shows for this webhook log stream.
          {hasSecret &&
            " The secrets accepted now keep working for 24 hours, so batches in flight are not lost; then only the new one verifies."}
        </span>
      </div>
      <button type="submit" className="button button-primary" disabled={pending || value.trim() === ""}>
        {pending ? "Saving…" : hasSecret ? "Rotate secret" : "Save secret"}
      </button>
      <div className="form-feedback">
        {error !== null && <ErrorNotice error={error} title="Secret not saved" />}
        {saved && (
          <p className="notice notice-success" role="status">
            Secret saved. Batches signed with it are accepted now.
          </p>
        )}
      </div>
    </form>
  );
}

const column = columnHelperFor<StreamDeployment>();

function optionalTime(ms: number | null) {
  return ms === null ? <span className="muted">never</span> : <Timestamp ms={ms} />;
}

const DEPLOYMENT_COLUMNS = column.columns([
  column.accessor("name", {
    header: "Deployment",
    sortFn: "text",
    cell: (info) => (
      <span className="cell-inline">
        <code>{info.getValue()}</code>
        <span className="badge">{info.row.original.type}</span>
      </span>
    ),
  }),
  column.accessor("lastEventAt", {
    header: "Last event",
    sortFn: "basic",
    cell: (info) => optionalTime(info.getValue()),
  }),
  column.accessor((row) => row.lastVerificationAt ?? -1, {
    id: "lastVerificationAt",
    header: "Last verification",
    sortFn: "basic",
    cell: (info) => optionalTime(info.row.original.lastVerificationAt),
  }),
  column.accessor("eventsAccepted", {
    header: "Accepted",
    sortFn: "basic",
    cell: (info) => formatCount(info.getValue()),
  }),
  column.accessor("duplicates", {
    header: "Duplicates",
    sortFn: "basic",
    cell: (info) => formatCount(info.getValue()),
  }),
  column.accessor("replaysRejected", {
    header: "Replays rejected",
    sortFn: "basic",
    cell: (info) => formatCount(info.getValue()),
  }),
  column.accessor("unknownTopics", {
    header: "Unknown topics",
    sortFn: "basic",
    cell: (info) => formatCount(info.getValue()),
  }),
]);
