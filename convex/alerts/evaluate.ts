/**
 * The evaluation cron: every minute, each enabled rule × watched deployment (× function) gets one
 * observation from bounded reads (minute rollups, gauges, daily usage rollups, the newest backups),
 * steps its state machine, and each transition writes its history event and, when it tells someone,
 * its outbox rows in this same transaction.
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { failuresSince, loadBackupSettings, newestVerifiedBackup } from "../backups/read";
import { latestDeployRegressions } from "../functions/read";
import { internalMutation } from "../lib/functions";
import {
  recentFunctionHealth,
  recentSchedulerLag,
  recentWindowHealth,
  watchedDeploymentsByActivity,
  type WindowHealth,
} from "../metrics/read";
import { loadUsageMonth } from "../usage/read";
import { repeatDue } from "./model/delivery";
import {
  BUILT_IN_RULES,
  CONSOLE_INSTANCE,
  fillSummary,
  instanceKey,
  REGRESSION_LOOKBACK_MS,
  SIGNAL_LABELS,
  WINDOW_MINUTES,
  type RuleSignal,
} from "./model/rules";
import { activeSilence, silenceEndedNote } from "./model/silences";
import {
  evaluate as step,
  formatValue,
  INITIAL_STATE,
  isActive,
  notificationOf,
  type Observation,
} from "./model/states";
import { resumeDeliveries } from "./deliver";
import { enqueueNotification, labelsOf, loadPolicy, openSilences, silenceLabels } from "./outbox";
import { loadSearchRules, newSearchBudget, searchObservation } from "./searchRules";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Instances of one per-function rule on one deployment that are out of Normal at once. */
const MAX_FUNCTION_INSTANCES = 500;

/** Stores any built-in rule not stored yet; an admin's edits to stored ones are kept. */
export async function seedRules(ctx: MutationCtx, now: number): Promise<Doc<"alertRules">[]> {
  const rules: Doc<"alertRules">[] = [];
  for (const definition of BUILT_IN_RULES) {
    const stored = await ctx.db
      .query("alertRules")
      .withIndex("by_key", (q) => q.eq("key", definition.key))
      .unique();
    if (stored !== null) {
      rules.push(stored);
      continue;
    }
    const id = await ctx.db.insert("alertRules", {
      ...definition,
      version: 1,
      updatedAt: now,
      updatedBy: "system",
    });
    rules.push((await ctx.db.get("alertRules", id))!);
  }
  return rules;
}

type DeploymentSignals = {
  name: string;
  lastEventAt: number;
  health: WindowHealth;
  lagSeconds: number | null;
  functions: Map<string, WindowHealth> | null;
  /** Per function, what the newest deploy verdict flagged; null when no rule asks. */
  regressions: Map<string, string[]> | null;
};

function deploymentObservation(
  signal: RuleSignal,
  d: DeploymentSignals,
  rule: Doc<"alertRules">,
  now: number,
): Observation {
  const { health } = d;
  switch (signal) {
    case "error_rate":
      return { kind: "value", value: health.errorRate };
    case "p95_ms":
      return { kind: "value", value: health.p95Ms ?? 0 };
    case "occ_share":
      return { kind: "value", value: health.occShare };
    case "slow_calls":
      return { kind: "value", value: health.slowCalls };
    case "scheduler_lag_s":
      return { kind: "value", value: d.lagSeconds ?? 0 };
    case "stream_silent_min": {
      const minutes = (now - d.lastEventAt) / MINUTE_MS;
      // Silence is the No data state itself: nothing arrived to measure.
      return minutes > rule.threshold
        ? { kind: "nodata", why: `no log stream event for ${formatValue(Math.floor(minutes), "minutes")}` }
        : { kind: "value", value: Math.floor(minutes) };
    }
    default:
      return { kind: "error", message: `${signal} is not measured per deployment` };
  }
}

async function consoleObservation(ctx: MutationCtx, signal: RuleSignal, now: number): Promise<Observation> {
  switch (signal) {
    case "usage_share": {
      const month = await loadUsageMonth(ctx, now);
      let worst = 0;
      for (const metric of month.metrics) {
        const forecast =
          metric.forecast !== null && !metric.forecast.lowConfidence && metric.included > 0
            ? metric.forecast.projectedMonthEnd / metric.included
            : 0;
        worst = Math.max(worst, metric.share ?? 0, forecast);
      }
      return { kind: "value", value: worst };
    }
    case "backup_age_share": {
      const newest = await newestVerifiedBackup(ctx);
      const { rpoTargetMs } = await loadBackupSettings(ctx);
      if (newest?.restorableTakenAt === undefined) return { kind: "nodata", why: "no verified backup yet" };
      return { kind: "value", value: (now - newest.restorableTakenAt) / rpoTargetMs };
    }
    case "backup_failures":
      return { kind: "value", value: await failuresSince(ctx, now - DAY_MS) };
    default:
      return { kind: "error", message: `${signal} is not measured for the console` };
  }
}

/** The functions a per-function rule looks at on one deployment, with each one's observation. */
function functionObservations(signal: RuleSignal, d: DeploymentSignals): Map<string, Observation> {
  if (signal === "deploy_regression") {
    const flagged = d.regressions ?? new Map<string, string[]>();
    return new Map([...flagged].map(([path, kinds]) => [path, { kind: "value", value: kinds.length }]));
  }
  const functions = d.functions ?? new Map<string, WindowHealth>();
  return new Map(
    [...functions].map(([path, health]) => [
      path,
      { kind: "value", value: signal === "function_p95_ms" ? (health.p95Ms ?? 0) : health.errorRate },
    ]),
  );
}

/** A function a rule no longer measures (no calls in the window, not flagged by the newest verdict) is back to zero. */
const UNMEASURED: Observation = { kind: "value", value: 0 };

/** Steps one instance and writes what changed: the instance, a history event, the outbox rows. */
async function stepInstance(
  ctx: MutationCtx,
  rule: Doc<"alertRules">,
  target: { deployment: string; functionPath: string | null },
  observation: Observation,
  now: number,
): Promise<void> {
  const key = instanceKey(target.deployment, target.functionPath);
  const stored = await ctx.db
    .query("alertInstances")
    .withIndex("by_rule_instance", (q) => q.eq("ruleKey", rule.key).eq("instanceKey", key))
    .unique();
  // Editing a rule restarts its instances: an old version's state is dropped without a notification.
  const current = stored !== null && stored.ruleVersion === rule.version ? stored : null;
  const prev = current === null ? { ...INITIAL_STATE, since: now } : current;
  const params = {
    label: SIGNAL_LABELS[rule.signal],
    unit: rule.unit,
    threshold: rule.threshold,
    recoveryThreshold: rule.recoveryThreshold,
    pendingMs: rule.pendingMs,
    keepFiringMs: rule.keepFiringMs,
  };
  const { next, transition } = step(params, prev, observation, now);
  if (stored === null && transition === null) return; // Normal and never anything else: no row needed.

  const base = {
    ruleKey: rule.key,
    ruleVersion: rule.version,
    instanceKey: key,
    deployment: target.deployment,
    functionPath: target.functionPath,
    severity: rule.severity,
    ...next,
    reason: transition?.reason ?? current?.reason ?? "",
    acknowledged: current?.acknowledged ?? null,
    lastNotifiedAt: current?.lastNotifiedAt ?? null,
    repeats: current?.repeats ?? 0,
    silencedBy: current?.silencedBy ?? null,
    updatedAt: now,
  };
  const notification = transition === null ? null : notificationOf(transition);
  if (notification === "firing" && !isActive(prev.state)) {
    // A new episode: nobody acknowledged it yet and it was not told.
    Object.assign(base, { acknowledged: null, lastNotifiedAt: null, repeats: 0, silencedBy: null });
  }
  // Most instances sit still minute after minute: an unchanged row is not written again.
  const unchanged =
    current !== null &&
    transition === null &&
    current.state === next.state &&
    current.since === next.since &&
    current.firingSince === next.firingSince &&
    current.lastValue === next.lastValue &&
    current.severity === rule.severity;
  let instance: Doc<"alertInstances">;
  if (unchanged) instance = current;
  else {
    let instanceId = stored?._id;
    if (stored === null) instanceId = await ctx.db.insert("alertInstances", base);
    else await ctx.db.replace("alertInstances", stored._id, base);
    instance = (await ctx.db.get("alertInstances", instanceId!))!;
  }

  const summary = fillSummary(rule.summary, {
    deployment: target.deployment,
    function: target.functionPath ?? "",
    value: next.lastValue === null ? "no data" : formatValue(next.lastValue, rule.unit),
    threshold: formatValue(rule.threshold, rule.unit),
  });
  if (transition !== null) {
    await ctx.db.insert("alertEvents", {
      ruleKey: rule.key,
      ruleName: rule.name,
      instanceKey: key,
      deployment: target.deployment,
      functionPath: target.functionPath,
      severity: rule.severity,
      from: transition.from,
      to: transition.to,
      reason: transition.reason,
      value: next.lastValue,
      at: now,
    });
  }
  if (notification === "firing") {
    const silence = await enqueueNotification(ctx, { rule, instance, status: "firing", summary, now });
    await ctx.db.patch("alertInstances", instance._id, {
      lastNotifiedAt: silence === null ? now : instance.lastNotifiedAt,
      silencedBy: silence === null ? null : { createdBy: silence.createdBy, endsAt: silence.endsAt },
    });
  } else if (notification === "resolved") {
    // A resolution is sent to whoever was told it fired; a silenced episode ends quietly.
    if (instance.lastNotifiedAt !== null) {
      await enqueueNotification(ctx, { rule, instance, status: "resolved", summary, now });
    }
  } else if (isActive(next.state)) {
    await followUp(ctx, rule, instance, summary, now);
  }
  // A function back to Normal keeps only its history: the open list per deployment stays short.
  if (target.functionPath !== null && next.state === "normal")
    await ctx.db.delete("alertInstances", instance._id);
}

/** A firing alert with no transition this minute: its silence may have ended, or a repeat is due. */
async function followUp(
  ctx: MutationCtx,
  rule: Doc<"alertRules">,
  instance: Doc<"alertInstances">,
  summary: string,
  now: number,
): Promise<void> {
  const silence = activeSilence(await openSilences(ctx, now), silenceLabels(labelsOf(rule, instance)), now);
  if (silence !== null) return;
  if (instance.silencedBy !== null) {
    const note = silenceEndedNote(instance.silencedBy);
    await ctx.db.patch("alertInstances", instance._id, { silencedBy: null, lastNotifiedAt: now });
    await enqueueNotification(ctx, { rule, instance, status: "firing", summary, now, note });
    return;
  }
  const policy = await loadPolicy(ctx);
  if (
    instance.lastNotifiedAt !== null &&
    repeatDue(policy, instance.lastNotifiedAt, instance.acknowledged !== null, now)
  ) {
    const repeated = { ...instance, repeats: instance.repeats + 1 };
    await ctx.db.patch("alertInstances", instance._id, { repeats: repeated.repeats, lastNotifiedAt: now });
    await enqueueNotification(ctx, { rule, instance: repeated, status: "firing", summary, now });
  }
}

/** One evaluation over every rule; `now` is the cron's clock unless a test injects one. */
export async function evaluateAll(ctx: MutationCtx, now: number): Promise<void> {
  const rules = [...(await seedRules(ctx, now)), ...(await loadSearchRules(ctx))].filter(
    (rule) => rule.enabled,
  );
  const searchBudget = newSearchBudget();
  const needsFunctions = rules.some(
    (rule) => rule.scope === "function" && rule.signal !== "deploy_regression",
  );
  const needsRegressions = rules.some((rule) => rule.signal === "deploy_regression");
  const deployments: DeploymentSignals[] = [];
  for (const watched of await watchedDeploymentsByActivity(ctx)) {
    deployments.push({
      name: watched.name,
      lastEventAt: watched.lastEventAt,
      health: await recentWindowHealth(ctx, watched.name, now, WINDOW_MINUTES),
      lagSeconds: await recentSchedulerLag(ctx, watched.name, now, WINDOW_MINUTES),
      functions: needsFunctions ? await recentFunctionHealth(ctx, watched.name, now, WINDOW_MINUTES) : null,
      regressions: needsRegressions
        ? await latestDeployRegressions(ctx, watched.name, now - REGRESSION_LOOKBACK_MS)
        : null,
    });
  }
  for (const rule of rules) {
    if (rule.scope === "console") {
      let observation: Observation;
      try {
        observation = await consoleObservation(ctx, rule.signal, now);
      } catch (error) {
        observation = { kind: "error", message: error instanceof Error ? error.message : String(error) };
      }
      await stepInstance(ctx, rule, { deployment: CONSOLE_INSTANCE, functionPath: null }, observation, now);
      continue;
    }
    for (const deployment of deployments) {
      if (rule.scope === "deployment") {
        const observation =
          rule.signal === "log_matches"
            ? await searchObservation(ctx, rule, deployment.name, now, searchBudget)
            : deploymentObservation(rule.signal, deployment, rule, now);
        await stepInstance(ctx, rule, { deployment: deployment.name, functionPath: null }, observation, now);
        continue;
      }
      const observations = functionObservations(rule.signal, deployment);
      const open = await ctx.db
        .query("alertInstances")
        .withIndex("by_rule_deployment", (q) => q.eq("ruleKey", rule.key).eq("deployment", deployment.name))
        .take(MAX_FUNCTION_INSTANCES);
      const paths = new Set([...observations.keys(), ...open.map((row) => row.functionPath ?? "")]);
      for (const path of paths) {
        if (path === "") continue;
        await stepInstance(
          ctx,
          rule,
          { deployment: deployment.name, functionPath: path },
          observations.get(path) ?? UNMEASURED,
          now,
        );
      }
    }
  }
}

export const evaluate = internalMutation({
  args: { now: v.optional(v.number()) },
  handler: async (ctx, { now }) => {
    const at = now ?? Date.now();
    await evaluateAll(ctx, at);
    await resumeDeliveries(ctx, at);
  },
});
