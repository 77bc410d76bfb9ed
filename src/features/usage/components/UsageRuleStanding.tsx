import { SkeletonRows } from "@/components/Skeleton";
import { ruleText, VERDICT_FLAG } from "@/lib/ruleVerdict";
import { useUsageRule } from "../api";

/**
 * Where the month stands against the plan-usage alert rules (used or forecast share of a limit),
 * worded exactly as on the Overview's usage tile, which the same verdict colours.
 */
export function UsageRuleStanding() {
  const rules = useUsageRule();
  if (rules === undefined) return <SkeletonRows rows={1} label="Loading the usage alert…" />;
  const judgement = rules.usage_share;
  return (
    <p className="usage-rule" aria-label="Usage alert" data-verdict={judgement.verdict}>
      {judgement.verdict !== "none" && (
        <span className={`tile-flag tile-flag-${judgement.verdict}`}>{VERDICT_FLAG[judgement.verdict]}</span>
      )}{" "}
      <span className="muted">
        {judgement.rule === null ? ruleText(judgement) : `${judgement.rule.name}: ${ruleText(judgement)}`}
      </span>
    </p>
  );
}
