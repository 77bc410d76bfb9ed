import type { FunctionComparison } from "@convex/functions/shared";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { StaticTable, type StaticColumn } from "@/components/StaticTable";
import { Timestamp } from "@/components/Timestamp";
import { useNow } from "@/lib/clock";
import { useDefaultDeployment } from "@/lib/remembered";
import { formatCount, formatDecimal, formatDuration, formatPercent } from "@/lib/format";
import { useDeployDetail, useDeployments, useDeploys } from "../api";
import { regressionText, watchingText } from "../Functions.utils";
import type { DeploysSearch } from "../search";
import { FunctionLink } from "@/components/FunctionLink";

type DeploysPageProps = { search: DeploysSearch; onSearchChange: (search: DeploysSearch) => void };

export function DeploysPage({ search, onSearchChange }: DeploysPageProps) {
  return (
    <Page
      title="Deploys"
      description="Each deploy (push_config) compared function by function over the minutes before and after it; a change is flagged only when it is significant for the number of calls."
    >
      <ErrorBoundary title="Could not load deploys">
        <DeploysContent search={search} onSearchChange={onSearchChange} />
      </ErrorBoundary>
    </Page>
  );
}

function DeploysContent({ search, onSearchChange }: DeploysPageProps) {
  const now = useNow(15_000);
  const deployments = useDeployments();
  const defaultDeployment = useDefaultDeployment(deployments);
  const deployment = search.deployment ?? defaultDeployment;
  const answer = useDeploys(deployment ?? null, now);
  if (deployment === undefined || (deployment !== null && answer === undefined)) {
    return <SkeletonRows rows={4} label="Loading deploys…" />;
  }
  if (deployment === null || answer === undefined) {
    return (
      <p className="notice notice-info">No deployment streams here yet, so there are no deploys to show.</p>
    );
  }
  if (answer.deploys.length === 0) {
    return <p className="notice notice-info">No deploys of {deployment} seen yet.</p>;
  }
  return (
    <div className="stack-lg">
      <p className="muted">
        Window: {formatCount(answer.windowMs / 60_000)} minutes either side of each deploy (set
        DEPLOY_WATCH_MINUTES on the console's deployment to change it).
      </p>
      <ul className="stack" aria-label={`Deploys of ${deployment}`}>
        {answer.deploys.map((deploy) => (
          <li key={deploy.ts} className="card stack">
            <div className="toolbar toolbar-wrap">
              <strong>
                <Timestamp ms={deploy.ts} />
              </strong>
              <span className="muted">
                {deploy.author === null ? "author not in the audit event" : `by ${deploy.author}`}
              </span>
              {deploy.state === "watching" && (
                <span role="status" className="badge">
                  {watchingText(deploy.minutesLeft)}
                </span>
              )}
              {deploy.state === "computing" && <span className="badge">window closed, comparing…</span>}
              {deploy.state === "done" && (
                <span className={deploy.regressions.length > 0 ? "badge badge-danger" : "badge badge-ok"}>
                  {deploy.regressions.length === 0
                    ? "no regression"
                    : `${deploy.regressions.length} ${deploy.regressions.length === 1 ? "regression" : "regressions"}`}
                </span>
              )}
            </div>
            {deploy.state === "done" && (
              <>
                <p className="muted">
                  {formatCount(deploy.functionsCompared)} functions compared ·{" "}
                  {formatCount(deploy.newFunctions)} new · {formatCount(deploy.goneFunctions)} no longer
                  called
                </p>
                {deploy.regressions.length > 0 && (
                  <ul aria-label="Regressions">
                    {deploy.regressions.map((regression) => (
                      <li key={regression.functionPath}>
                        <FunctionLink deployment={deployment} functionPath={regression.functionPath} />:{" "}
                        {regressionText(regression.kinds)}
                      </li>
                    ))}
                  </ul>
                )}
                <button
                  type="button"
                  className="button"
                  aria-expanded={search.deploy === deploy.ts}
                  onClick={() =>
                    onSearchChange({ ...search, deploy: search.deploy === deploy.ts ? undefined : deploy.ts })
                  }
                >
                  {search.deploy === deploy.ts ? "Hide the comparison" : "Show every function"}
                </button>
                {search.deploy === deploy.ts && <DeployDetail deployment={deployment} deployTs={deploy.ts} />}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

type Side = FunctionComparison["before"];

/** A column with one measure of a function before and after the deploy. */
function beforeAfter(header: string, format: (side: Side) => string): StaticColumn<FunctionComparison> {
  return { header, cell: (row) => `${format(row.before)} → ${format(row.after)}` };
}

function verdictText(row: FunctionComparison): string {
  if (row.status === "new") return "new function";
  if (row.status === "gone") return "no longer called";
  if (row.status === "tooFewCalls") return "too few calls to judge";
  return row.regressions.length > 0 ? regressionText(row.regressions) : "no significant change";
}

function DeployDetail({ deployment, deployTs }: { deployment: string; deployTs: number }) {
  const detail = useDeployDetail(deployment, deployTs);
  if (detail === undefined) return <SkeletonRows rows={4} label="Loading the comparison…" />;
  if (detail === null) return <p className="notice notice-info">This deploy has no verdict yet.</p>;
  const rows = [...detail.functions].sort(
    (a, b) => b.regressions.length - a.regressions.length || b.after.calls - a.after.calls,
  );
  return (
    <div className="stack">
      <StaticTable
        caption="Each function before and after the deploy"
        className="table"
        scroll="Each function before and after the deploy"
        rows={rows}
        rowKey={(row) => row.functionPath}
        columns={[
          {
            header: "Function",
            cell: (row) => <FunctionLink deployment={deployment} functionPath={row.functionPath} />,
          },
          beforeAfter("Calls before → after", (side) => formatCount(side.calls)),
          beforeAfter("Error rate", (side) => formatPercent(side.errorRate)),
          beforeAfter("p95", (side) => formatDuration(side.p95Ms)),
          beforeAfter("Documents read per call", (side) => formatDecimal(side.readsPerCall)),
          { header: "Verdict", cell: verdictText },
        ]}
      />
      <h3>Error groups first seen after the deploy</h3>
      {detail.newErrorGroups.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {detail.newErrorGroups.map((group) => (
            <li key={group.key}>
              <FunctionLink deployment={deployment} functionPath={group.functionPath} />{" "}
              <strong>{group.code}</strong> {group.message} — {formatCount(group.count)}, first{" "}
              <Timestamp ms={group.firstSeen} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
