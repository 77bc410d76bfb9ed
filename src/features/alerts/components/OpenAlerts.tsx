import { Link } from "@tanstack/react-router";
import type { FunctionReturnType } from "convex/server";
import { useId, useState, type FormEvent } from "react";
import type { api } from "@convex/_generated/api";
import { ErrorNotice } from "@/components/ErrorNotice";
import { Timestamp } from "@/components/Timestamp";
import { useNow } from "@/lib/clock";
import { useMutationState } from "@/lib/useMutationState";
import { useAcknowledge } from "../api";
import { chartRangeFor, logsQueryOn, sortOpenAlerts, STATE_LABELS } from "../Alerts.utils";
import { AlertEvidence } from "./AlertEvidence";

type Overview = FunctionReturnType<typeof api.alerts.alerts.overview>;
type OpenAlert = Overview["open"][number];

/** Firing and pending alerts, firing first; each links its chart window, the requests behind it and its runbook item. */
export function OpenAlerts({
  open,
  canAcknowledge,
  highlighted,
}: {
  open: OpenAlert[];
  canAcknowledge: boolean;
  highlighted?: string;
}) {
  if (open.length === 0) {
    return <p className="card">Nothing is firing or pending. Every rule is within its threshold.</p>;
  }
  return (
    <ul className="stack alert-list" aria-label="Open alerts">
      {sortOpenAlerts(open).map((alert) => (
        <AlertCard
          key={alert._id}
          alert={alert}
          canAcknowledge={canAcknowledge}
          highlighted={
            highlighted ===
            `${alert.ruleKey}/${alert.functionPath === null ? alert.deployment : `${alert.deployment} ${alert.functionPath}`}`
          }
        />
      ))}
    </ul>
  );
}

function AlertCard({
  alert,
  canAcknowledge,
  highlighted,
}: {
  alert: OpenAlert;
  canAcknowledge: boolean;
  highlighted: boolean;
}) {
  const now = useNow();
  const headingId = useId();
  return (
    <li
      className={`card alert-card alert-${alert.state}${highlighted ? " alert-highlighted" : ""}`}
      aria-labelledby={headingId}
    >
      <div className="alert-card-head">
        <span className={`badge badge-alert-${alert.state}`}>{STATE_LABELS[alert.state]}</span>
        <span className={`badge badge-severity-${alert.severity}`}>{alert.severity}</span>
        <h3 id={headingId}>{alert.ruleName}</h3>
      </div>
      <p>
        <strong>{alert.deployment}</strong>
        {alert.functionPath !== null && <> · {alert.functionPath}</>} — {alert.reason}
      </p>
      <p className="muted">
        {STATE_LABELS[alert.state]} since <Timestamp ms={alert.since} />
        {alert.silencedBy !== null && <> · silenced by {alert.silencedBy.createdBy}</>}
      </p>
      <p className="alert-links">
        {alert.deployment !== "console" && (
          <Link
            to="/errors"
            search={{
              deployment: alert.deployment,
              range: chartRangeFor(alert.firingSince ?? alert.since, now),
            }}
          >
            Chart and failing requests for this window
          </Link>
        )}
        {alert.logsQuery !== undefined && (
          <Link to="/logs" search={{ q: logsQueryOn(alert.logsQuery, alert.deployment) }}>
            Matching events in Logs
          </Link>
        )}
        {alert.runbook !== null && (
          <Link to="/runbooks" search={{ history: alert.runbook.template }} hash={alert.runbook.item}>
            Runbook step
          </Link>
        )}
      </p>
      {alert.deployment !== "console" && (
        <AlertEvidence instanceId={alert._id} deployment={alert.deployment} />
      )}
      {alert.acknowledged !== null ? (
        <p>
          Acknowledged by {alert.acknowledged.by} <Timestamp ms={alert.acknowledged.at} />: “
          {alert.acknowledged.note}”. It no longer repeats, and still resolves on its own.
        </p>
      ) : (
        canAcknowledge && alert.state !== "pending" && <AcknowledgeForm alert={alert} />
      )}
    </li>
  );
}

function AcknowledgeForm({ alert }: { alert: OpenAlert }) {
  const acknowledge = useMutationState(useAcknowledge());
  const [note, setNote] = useState("");
  const inputId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const outcome = await acknowledge.run({ instanceId: alert._id, note });
    if (outcome.ok) setNote("");
  }

  return (
    <form
      className="field-inline"
      onSubmit={(event) => void submit(event)}
      aria-label={`Acknowledge ${alert.ruleName} on ${alert.deployment}`}
    >
      <label htmlFor={inputId}>Note</label>
      <input
        id={inputId}
        className="input"
        value={note}
        maxLength={500}
        placeholder="What you are doing about it"
        onChange={(event) => setNote(event.target.value)}
      />
      <button
        type="submit"
        className="button button-small"
        disabled={acknowledge.pending || note.trim() === ""}
      >
        {acknowledge.pending ? "Acknowledging…" : "Acknowledge"}
      </button>
      {acknowledge.error !== null && <ErrorNotice error={acknowledge.error} title="Could not acknowledge" />}
    </form>
  );
}
