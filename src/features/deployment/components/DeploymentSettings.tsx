import type { FunctionReturnType } from "convex/server";
import { useState, type FormEvent } from "react";
import type { api } from "@convex/_generated/api";
import { normalizeDeploymentUrl } from "@convex/deployment/shared";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { TextField } from "@/components/FormField";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useMutationState } from "@/lib/useMutationState";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import {
  useDeploymentStatus,
  useDisconnectDeployment,
  useSetDeploymentConnection,
  useTestDeploymentConnection,
} from "../api";

type Status = FunctionReturnType<typeof api.deployment.connection.status>;

/** Settings → Connected deployment: the URL and deploy key backups and restores act with. */
export function DeploymentSettings() {
  return (
    <section aria-labelledby="deployment-heading" className="stack">
      <h2 id="deployment-heading">Connected deployment</h2>
      <p className="muted">
        Backups and restores act on one Convex deployment through its admin API. Paste its URL and a deploy
        key (Convex dashboard → <strong>Settings → Deploy keys</strong>; for a self-hosted backend, its admin
        key). The key stays on this console&apos;s server: the browser only ever sees its last four
        characters.
      </p>
      <ErrorBoundary title="Could not load the connected deployment">
        <ConnectionSection />
      </ErrorBoundary>
    </section>
  );
}

function ConnectionSection() {
  const status = useDeploymentStatus();
  const viewer = useViewer();
  if (status === undefined) return <SkeletonRows rows={3} label="Loading the connected deployment…" />;
  const isAdmin = viewerHasRole(viewer, "admin");
  return (
    <div className="stack">
      {status === null ? (
        <p className="notice notice-warning" role="status">
          No deployment is connected. An admin sets one here, or sets <code>CONVEX_DEPLOYMENT_URL</code> and{" "}
          <code>CONVEX_DEPLOY_KEY</code> (or Convex&apos;s self-hosted <code>CONVEX_SELF_HOSTED_URL</code> and{" "}
          <code>CONVEX_SELF_HOSTED_ADMIN_KEY</code>) on this console&apos;s deployment.
        </p>
      ) : (
        <ConnectionFacts status={status} />
      )}
      {status !== null && <TestResult status={status} isAdmin={isAdmin} />}
      {isAdmin ? (
        <ConnectionForm status={status} />
      ) : (
        <p className="muted">Only admins can connect a deployment or rotate its key.</p>
      )}
    </div>
  );
}

function ConnectionFacts({ status }: { status: NonNullable<Status> }) {
  return (
    <>
      {status.keyProblem !== null && (
        <p className="notice notice-warning" role="status">
          {status.keyProblem}
        </p>
      )}
      <ConnectionFactList status={status} />
    </>
  );
}

function ConnectionFactList({ status }: { status: NonNullable<Status> }) {
  return (
    <dl className="facts">
      <div>
        <dt>Deployment</dt>
        <dd>{status.name}</dd>
      </div>
      <div>
        <dt>URL</dt>
        <dd className="mono">{status.url}</dd>
      </div>
      <div>
        <dt>Deploy key</dt>
        <dd>
          <code>{status.maskedKey}</code> {status.source === "environment" ? "(from the environment)" : null}
        </dd>
      </div>
      {status.updatedAt !== null && (
        <div>
          <dt>Last set</dt>
          <dd>
            <Timestamp ms={status.updatedAt} /> by {status.updatedBy}
          </dd>
        </div>
      )}
      {status.isConsoleItself && (
        <div>
          <dt>Note</dt>
          <dd>This is the console&apos;s own deployment: a restore only replaces its app tables.</dd>
        </div>
      )}
    </dl>
  );
}

function TestResult({ status, isAdmin }: { status: NonNullable<Status>; isAdmin: boolean }) {
  const test = useMutationState(useTestDeploymentConnection());
  const result = status.test;
  return (
    <div className="stack-sm">
      {isAdmin && (
        <button
          type="button"
          className="button"
          disabled={test.pending || result?.state === "running"}
          onClick={() => void test.run({})}
        >
          {result?.state === "running" ? "Testing…" : "Test connection"}
        </button>
      )}
      {result !== null && result.state !== "running" && (
        <p className={`notice ${result.state === "ok" ? "notice-success" : "notice-error"}`} role="status">
          {result.sentence}{" "}
          <span className="muted">
            (tested <Timestamp ms={result.at} />)
          </span>
        </p>
      )}
      {test.error !== null && <ErrorNotice error={test.error} title="Could not test the connection" />}
    </div>
  );
}

function ConnectionForm({ status }: { status: Status }) {
  const save = useMutationState(useSetDeploymentConnection());
  const disconnect = useMutationState(useDisconnectDeployment());
  const [url, setUrl] = useState(status?.source === "settings" ? status.url : "");
  const [deployKey, setDeployKey] = useState("");
  const [saved, setSaved] = useState(false);
  const hasStoredKey = status?.source === "settings";
  // The stored key is bound to the URL it was entered with: a new URL needs its key in the same save.
  const urlChanged = hasStoredKey && normalizeDeploymentUrl(url) !== status.url;
  const keyRequired = !hasStoredKey || urlChanged || status.keyProblem !== null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const outcome = await save.run({ url, ...(deployKey.trim() ? { deployKey: deployKey.trim() } : {}) });
    if (outcome.ok) {
      setDeployKey("");
      setSaved(true);
    }
  }

  return (
    <form className="stack" onSubmit={(event) => void submit(event)} aria-label="Connect a deployment">
      <TextField
        label="Deployment URL"
        type="url"
        required
        placeholder="https://happy-otter-123.convex.cloud"
        value={url}
        onValueChange={setUrl}
      />
      <TextField
        label={keyRequired ? "Deploy key" : "New deploy key (leave empty to keep the current one)"}
        type="password"
        autoComplete="off"
        required={keyRequired}
        value={deployKey}
        onValueChange={setDeployKey}
        hint={
          <>
            {urlChanged
              ? "A new URL needs its deploy key again: the stored key is only ever sent to the URL it was entered with. "
              : ""}
            Saving a new key replaces the old one at once; every change is recorded in the audit trail.
          </>
        }
      />
      <div className="toolbar">
        <button type="submit" className="button button-primary" disabled={save.pending}>
          {save.pending ? "Saving…" : "Save connection"}
        </button>
        {hasStoredKey && (
          <button
            type="button"
            className="button button-danger-outline"
            onClick={() => void disconnect.run({})}
          >
            Disconnect
          </button>
        )}
      </div>
      {saved && (
        <p className="notice notice-success" role="status">
          Saved. Use Test connection to check the key.
        </p>
      )}
      {save.error !== null && <ErrorNotice error={save.error} title="Could not save the connection" />}
      {disconnect.error !== null && <ErrorNotice error={disconnect.error} title="Could not disconnect" />}
    </form>
  );
}
