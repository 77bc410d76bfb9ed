/**
 * How an alert rule's verdict reads wherever a page is coloured by it (the Overview tiles, the
 * Usage page's standing), so two views of one rule never word it differently.
 */
import { formatDuration, formatValue, type TileJudgement, type TileVerdict } from "@convex/alerts/shared";

/** The flag beside a judged value; nothing when no rule judges it. */
export const VERDICT_FLAG: Record<TileVerdict, string> = {
  ok: "✓ Within threshold",
  alert: "⚠ Over threshold",
  pending: "◔ Over threshold, alert pending",
  none: "",
};

/**
 * The sentence under a judged value: while its rule is pending or firing, the rule's own reason;
 * otherwise the condition that would fire it, so the threshold printed is the rule's and no other.
 */
export function ruleText(judgement: TileJudgement): string {
  const rule = judgement.rule;
  if (rule === null) return "No alert rule";
  if ((judgement.verdict === "alert" || judgement.verdict === "pending") && rule.reason !== null) {
    return rule.reason;
  }
  const lasting = rule.pendingMs > 0 ? ` for ${formatDuration(rule.pendingMs)}` : "";
  return `alerts above ${formatValue(rule.threshold, rule.unit)}${lasting}`;
}
