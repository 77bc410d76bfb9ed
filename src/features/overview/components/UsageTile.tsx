import { Link } from "@tanstack/react-router";
import type { TileJudgement } from "@convex/alerts/shared";
import { METRIC_LABELS, planName } from "@convex/usage/shared";
import { formatPercent } from "@/lib/format";
import { ruleText } from "@/lib/ruleVerdict";
import { usageStandingText } from "@/lib/usageFormat";
import { useUsageHeadline } from "../api";
import { LoadingTile, Tile } from "./Tile";

/** `judgement` is undefined while the alert rules load. */
type UsageTileProps = { now: number; judgement: TileJudgement | undefined };

/**
 * The team's usage this month: the metric closest to (or furthest past) its limit and the next
 * date a limit is reached, coloured by the plan-usage alert rules like every health tile.
 */
export function UsageTile({ now, judgement }: UsageTileProps) {
  const headline = useUsageHeadline(now);
  if (headline === undefined || judgement === undefined) {
    return <LoadingTile label={"Usage"} loading="Loading usage…" />;
  }
  const { worst } = headline;
  return (
    <Tile
      name="Usage this month"
      label={`Usage this month (${planName(headline.plan)})`}
      value={
        <Link to="/usage" className="tile-link">
          {worst === null ? "No usage yet" : `${METRIC_LABELS[worst.metric]} ${formatPercent(worst.share)}`}
        </Link>
      }
      state={judgement.verdict}
      thresholdText={`${ruleText(judgement)} · ${usageStandingText(headline, headline.timeZone)}`}
    />
  );
}
