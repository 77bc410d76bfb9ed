import type { FunctionReturnType } from "convex/server";
import { useId, useState, type FormEvent } from "react";
import type { api } from "@convex/_generated/api";
import { formatDuration, formatValue, GROUPABLE_LABELS } from "@convex/alerts/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { TextField } from "@/components/FormField";
import { SkeletonRows } from "@/components/Skeleton";
import { useMutationState } from "@/lib/useMutationState";
import { useAlertPolicy, useAlertRules, useSetPolicy, useUpdateRule } from "../api";
import { minutesToMs } from "../Alerts.utils";
import { DeleteSearchRule } from "./DeleteSearchRule";
import { SeverityField } from "./SeverityField";

type Rule = FunctionReturnType<typeof api.alerts.alerts.rules>[number];

/**
 * The rules with their thresholds and periods; admins edit each in place, and delete the ones made
 * from a search. Editing, disabling or deleting a rule resolves its open alerts.
 */
export function RulesSection({ isAdmin }: { isAdmin: boolean }) {
  const rules = useAlertRules();
  return (
    <section className="stack" aria-labelledby="rules-heading">
      <h2 id="rules-heading">Rules</h2>
      <p className="muted">Evaluated every minute over the last five minutes of each deployment.</p>
      {rules === undefined ? (
        <SkeletonRows rows={4} label="Loading rules…" />
      ) : rules.length === 0 ? (
        <p className="muted">The built-in rules are stored at the first evaluation, within a minute.</p>
      ) : (
        <ul className="stack-sm" aria-label="Alert rules">
          {rules.map((rule) => (
            <RuleRow key={rule._id} rule={rule} isAdmin={isAdmin} />
          ))}
        </ul>
      )}
      <PolicyForm isAdmin={isAdmin} />
    </section>
  );
}

function RuleRow({ rule, isAdmin }: { rule: Rule; isAdmin: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <li className="card stack-sm">
      <p>
        <strong>{rule.name}</strong> · {rule.severity}
        {!rule.enabled && " · off"} · fires above {formatValue(rule.threshold, rule.unit)} for{" "}
        {formatDuration(rule.pendingMs)}, resolves at or below{" "}
        {formatValue(rule.recoveryThreshold, rule.unit)}
        {rule.keepFiringMs > 0 && <> after {formatDuration(rule.keepFiringMs)}</>}
      </p>
      {isAdmin &&
        (editing ? (
          <RuleForm rule={rule} onDone={() => setEditing(false)} />
        ) : (
          <div className="row-actions">
            <button
              type="button"
              className="button button-small"
              aria-label={`Edit ${rule.name}`}
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
            {rule.search !== undefined && (
              <DeleteSearchRule ruleKey={rule.key} name={rule.name} query={rule.search.query} />
            )}
          </div>
        ))}
    </li>
  );
}

/** Ratios are edited as percentages, everything else in its own unit. */
function toInput(value: number, unit: Rule["unit"]): string {
  return unit === "ratio" ? String(Math.round(value * 10_000) / 100) : String(value);
}

function fromInput(text: string, unit: Rule["unit"]): number {
  const value = Number(text);
  return unit === "ratio" ? value / 100 : value;
}

function RuleForm({ rule, onDone }: { rule: Rule; onDone: () => void }) {
  const save = useMutationState(useUpdateRule());
  const [threshold, setThreshold] = useState(toInput(rule.threshold, rule.unit));
  const [recovery, setRecovery] = useState(toInput(rule.recoveryThreshold, rule.unit));
  const [pending, setPending] = useState(String(rule.pendingMs / 60_000));
  const [keep, setKeep] = useState(String(rule.keepFiringMs / 60_000));
  const [severity, setSeverity] = useState(rule.severity);
  const [enabled, setEnabled] = useState(rule.enabled);
  const enabledId = useId();
  const unit = rule.unit === "ratio" ? "%" : rule.unit;
  const pendingMs = minutesToMs(pending);
  const keepMs = minutesToMs(keep);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pendingMs === null || keepMs === null) return;
    const outcome = await save.run({
      key: rule.key,
      threshold: fromInput(threshold, rule.unit),
      recoveryThreshold: fromInput(recovery, rule.unit),
      pendingMs,
      keepFiringMs: keepMs,
      severity,
      enabled,
    });
    if (outcome.ok) onDone();
  }

  return (
    <form className="stack-sm" aria-label={`Edit ${rule.name}`} onSubmit={(event) => void submit(event)}>
      <div className="form-grid">
        <TextField
          label={`Threshold (${unit})`}
          numeric="decimal"
          value={threshold}
          onValueChange={setThreshold}
        />
        <TextField
          label={`Recovery threshold (${unit})`}
          numeric="decimal"
          value={recovery}
          onValueChange={setRecovery}
        />
        <TextField
          label="Pending period (min)"
          numeric="numeric"
          value={pending}
          aria-invalid={pendingMs === null}
          onValueChange={setPending}
        />
        <TextField
          label="Keep firing for (min)"
          numeric="numeric"
          value={keep}
          aria-invalid={keepMs === null}
          onValueChange={setKeep}
        />
        <SeverityField value={severity} onChange={setSeverity} />
        <div className="field-inline">
          <input
            id={enabledId}
            type="checkbox"
            checked={enabled}
            onChange={(event) => setEnabled(event.target.checked)}
          />
          <label htmlFor={enabledId}>Enabled</label>
        </div>
      </div>
      <div className="row-actions">
        <button type="submit" className="button button-small" disabled={save.pending}>
          {save.pending ? "Saving…" : "Save rule"}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {save.error !== null && <ErrorNotice error={save.error} title="Could not save the rule" />}
    </form>
  );
}

function PolicyForm({ isAdmin }: { isAdmin: boolean }) {
  const policy = useAlertPolicy();
  if (policy === undefined) return <SkeletonRows rows={1} label="Loading the notification policy…" />;
  return (
    <div className="card stack-sm">
      <h3>Notification policy</h3>
      <p>
        {policy.groupBy.length === 0
          ? "All alerts go out in one message."
          : `Alerts with the same ${policy.groupBy.join(", ")} go out in one message.`}{" "}
        A new alert waits {formatDuration(policy.groupWaitMs)} for others of its group; messages of one group
        are at least {formatDuration(policy.groupIntervalMs)} apart; an unacknowledged alert is repeated every{" "}
        {formatDuration(policy.repeatIntervalMs)}. Resolved notifications are sent.
      </p>
      {isAdmin && <PolicyEditor policy={policy} />}
    </div>
  );
}

function PolicyEditor({
  policy,
}: {
  policy: { groupWaitMs: number; groupIntervalMs: number; repeatIntervalMs: number; groupBy: string[] };
}) {
  const save = useMutationState(useSetPolicy());
  const [wait, setWait] = useState(String(policy.groupWaitMs / 1000));
  const [interval, setInterval] = useState(String(policy.groupIntervalMs / 60_000));
  const [repeat, setRepeat] = useState(String(policy.repeatIntervalMs / 60_000));
  const [groupBy, setGroupBy] = useState(policy.groupBy);
  const values = [Number(wait) * 1000, minutesToMs(interval), minutesToMs(repeat)];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const [groupWaitMs, groupIntervalMs, repeatIntervalMs] = values;
    if (!Number.isFinite(groupWaitMs) || groupIntervalMs === null || repeatIntervalMs === null) return;
    await save.run({
      groupWaitMs: groupWaitMs!,
      groupIntervalMs: groupIntervalMs!,
      repeatIntervalMs: repeatIntervalMs!,
      groupBy,
    });
  }

  return (
    <form className="stack-sm" aria-label="Notification policy" onSubmit={(event) => void submit(event)}>
      <div className="form-grid">
        <TextField label="Group wait (s)" numeric="numeric" value={wait} onValueChange={setWait} />
        <TextField
          label="Group interval (min)"
          numeric="numeric"
          value={interval}
          onValueChange={setInterval}
        />
        <TextField label="Repeat (min)" numeric="numeric" value={repeat} onValueChange={setRepeat} />
      </div>
      <fieldset className="field-inline">
        <legend>Group by</legend>
        {GROUPABLE_LABELS.map((label) => (
          <label key={label} className="field-inline">
            <input
              type="checkbox"
              checked={groupBy.includes(label)}
              onChange={(event) =>
                setGroupBy((current) =>
                  event.target.checked ? [...current, label] : current.filter((name) => name !== label),
                )
              }
            />
            {label}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button button-small" disabled={save.pending}>
        {save.pending ? "Saving…" : "Save policy"}
      </button>
      {save.error !== null && <ErrorNotice error={save.error} title="Could not save the policy" />}
    </form>
  );
}
