import { Link } from "@tanstack/react-router";
import { METRIC_LABELS, planName } from "@convex/usage/shared";
import { SkeletonRows } from "@/components/Skeleton";
import { formatPercent } from "@/lib/format";
import { STATE_TEXT, stateTone, usageStandingText } from "@/lib/usageFormat";
import { useUsageHeadline } from "../api";

/** The team's usage this month: the metric closest to (or furthest past) its limit, and the next date a limit is reached. */
export function UsageTile({ now }: { now: number }) {
  const headline = useUsageHeadline(now);
  if (headline === undefined) {
    return (
      <li className="tile tile-none">
        <p className="tile-label">Usage</p>
        <SkeletonRows rows={2} label="Loading usage…" />
      </li>
    );
  }
  const { worst } = headline;
  return (
    <li
      className={`tile tile-${stateTone(worst?.state ?? null)}`}
      aria-label="Usage this month"
      data-state={worst?.state ?? "none"}
    >
      <p className="tile-label">Usage this month ({planName(headline.plan)})</p>
      <p className="tile-value">
        <Link to="/usage" className="tile-link">
          {worst === null ? "No usage yet" : `${METRIC_LABELS[worst.metric]} ${formatPercent(worst.share)}`}
        </Link>
      </p>
      <p className="tile-threshold">
        {worst !== null && (
          <span className={`tile-flag tile-flag-${stateTone(worst.state)}`}>{STATE_TEXT[worst.state]}</span>
        )}{" "}
        <span className="muted">{usageStandingText(headline, headline.timeZone)}</span>
      </p>
    </li>
  );
}
