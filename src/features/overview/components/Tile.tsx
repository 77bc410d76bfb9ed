import type { ReactNode } from "react";
import type { TileJudgement } from "@convex/alerts/shared";
import { SkeletonRows } from "@/components/Skeleton";
import { ruleText, VERDICT_FLAG } from "@/lib/ruleVerdict";
import type { TileState, TrendPoint } from "../Overview.utils";
import { Sparkline } from "./Sparkline";

type TileProps = {
  label: ReactNode;
  value: ReactNode;
  state: TileState;
  /** Says what the value is compared against, e.g. "threshold 1%". */
  thresholdText: ReactNode;
  trend?: TrendPoint[];
  threshold?: number;
  /** The tile's accessible name, when its visible label carries more than its name. */
  name?: string;
};

/** The frame every health tile shares: label, value, its standing against a threshold and the hour's trend. */
export function Tile({ label, value, state, thresholdText, trend, threshold, name }: TileProps) {
  return (
    <li className={`tile tile-${state}`} aria-label={name} data-verdict={state}>
      <p className="tile-label">{label}</p>
      <p className="tile-value">{value}</p>
      <p className="tile-threshold">
        {state !== "none" && <span className={`tile-flag tile-flag-${state}`}>{VERDICT_FLAG[state]}</span>}{" "}
        <span className="muted">{thresholdText}</span>
      </p>
      {trend !== undefined && <Sparkline values={trend} threshold={threshold} alert={state === "alert"} />}
    </li>
  );
}

type RuleTileProps = Pick<TileProps, "label" | "value" | "trend"> & {
  rule: TileJudgement;
  /** Why there is nothing to judge (e.g. no calls in the hour), said instead of the rule's words. */
  idle: string | null;
};

/** A last-hour figure coloured by its alert rule, with the rule's threshold drawn on its trend. */
export function RuleTile({ rule, idle, ...tile }: RuleTileProps) {
  return (
    <Tile
      {...tile}
      state={rule.verdict}
      thresholdText={idle ?? ruleText(rule)}
      threshold={rule.rule?.threshold}
    />
  );
}

/** A tile whose figures are still loading: its label over a skeleton, so the grid keeps its shape. */
export function LoadingTile({ label, loading }: { label: ReactNode; loading: string }) {
  return (
    <li className="tile tile-none">
      <p className="tile-label">{label}</p>
      <SkeletonRows rows={2} label={loading} />
    </li>
  );
}
