import type { Doc } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { fillSummary } from "./model/rules";
import { formatValue, isActive } from "./model/states";
import { enqueueNotification } from "./outbox";

/** More instances than one rule has open (deployments, or the functions failing on them). */
const MAX_RULE_INSTANCES = 2000;

/**
 * An admin's edit, disable or delete ends the rule's alerts at once, as Grafana does ("Updated",
 * "Paused", "RuleDeleted"): each open one goes to Normal with `reason` in its history, whoever was
 * told it fires hears it resolved, and its row goes (the next evaluation of an enabled rule starts
 * afresh). Without this a disabled rule's alert stayed open for good.
 */
export async function endRuleAlerts(
  ctx: MutationCtx,
  rule: Doc<"alertRules">,
  reason: string,
  now: number,
): Promise<void> {
  const instances = await ctx.db
    .query("alertInstances")
    .withIndex("by_rule_instance", (q) => q.eq("ruleKey", rule.key))
    .take(MAX_RULE_INSTANCES);
  for (const instance of instances) {
    if (instance.state !== "normal") {
      await ctx.db.insert("alertEvents", {
        ruleKey: rule.key,
        ruleName: rule.name,
        instanceKey: instance.instanceKey,
        deployment: instance.deployment,
        functionPath: instance.functionPath,
        severity: instance.severity,
        from: instance.state,
        to: "normal",
        reason,
        value: instance.lastValue,
        at: now,
      });
      if (isActive(instance.state) && instance.lastNotifiedAt !== null) {
        const summary = fillSummary(rule.summary, {
          deployment: instance.deployment,
          function: instance.functionPath ?? "",
          value: instance.lastValue === null ? "no data" : formatValue(instance.lastValue, rule.unit),
          threshold: formatValue(rule.threshold, rule.unit),
        });
        await enqueueNotification(ctx, { rule, instance, status: "resolved", summary, now, note: reason });
      }
    }
    await ctx.db.delete("alertInstances", instance._id);
  }
}
