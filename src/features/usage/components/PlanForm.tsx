import { useId, useState, type FormEvent } from "react";
import {
  METRIC_UNITS,
  PLAN_CATALOG,
  PLAN_IDS,
  USAGE_METRICS,
  planName,
  type PlanId,
  type PlanLimits,
  type UsageMetric,
} from "@convex/usage/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SelectField } from "@/components/SelectField";
import { useMutationState } from "@/lib/useMutationState";
import { useSetPlan } from "../api";
import { metricLabel } from "../Usage.utils";

/** Choose the team's plan; a custom plan takes its own monthly amounts. */
export function PlanForm({ current, customLimits }: { current: PlanId; customLimits: PlanLimits | null }) {
  const setPlan = useSetPlan();
  const { run, pending, error } = useMutationState(setPlan);
  const [plan, setPlanChoice] = useState<PlanId>(current);
  const [limits, setLimits] = useState<Record<UsageMetric, string>>(
    () =>
      Object.fromEntries(
        USAGE_METRICS.map((metric) => [
          metric,
          String((customLimits ?? PLAN_CATALOG.professional.limits)[metric]),
        ]),
      ) as Record<UsageMetric, string>,
  );
  const [saved, setSaved] = useState(false);
  const formId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const outcome = await run(
      plan === "custom"
        ? {
            plan,
            customLimits: Object.fromEntries(
              USAGE_METRICS.map((metric) => [metric, Number(limits[metric])]),
            ) as PlanLimits,
          }
        : { plan },
    );
    if (outcome.ok) setSaved(true);
  };

  return (
    <form className="stack-sm" onSubmit={(event) => void submit(event)} aria-label="Team plan">
      <div className="filter-bar">
        <SelectField
          label="Team plan"
          value={plan}
          options={PLAN_IDS.map((id) => ({ value: id, label: planName(id) }))}
          onChange={(value) => {
            setPlanChoice(value as PlanId);
            setSaved(false);
          }}
        />
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Saving…" : "Save plan"}
        </button>
      </div>
      {plan === "custom" && (
        <fieldset className="settings-grid">
          <legend>Custom limits per month</legend>
          {USAGE_METRICS.map((metric) => (
            <div className="field" key={metric}>
              <label htmlFor={`${formId}-${metric}`}>
                {metricLabel(metric)} ({METRIC_UNITS[metric]})
              </label>
              <input
                id={`${formId}-${metric}`}
                className="input input-number"
                type="number"
                min="0"
                step="any"
                required
                value={limits[metric]}
                onChange={(event) => setLimits({ ...limits, [metric]: event.target.value })}
              />
            </div>
          ))}
        </fieldset>
      )}
      {error !== null && <ErrorNotice error={error} title="Could not change the plan" />}
      {saved && (
        <p className="form-feedback" role="status">
          Plan saved: the states and forecasts below now use its amounts.
        </p>
      )}
    </form>
  );
}
