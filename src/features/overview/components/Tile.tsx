import type { ReactNode } from "react";
import type { TileState, TrendPoint } from "../Overview.utils";
import { Sparkline } from "./Sparkline";

type TileProps = {
  label: string;
  value: ReactNode;
  state: TileState;
  /** Says what the value is compared against, e.g. "threshold 1%". */
  thresholdText: ReactNode;
  trend?: TrendPoint[];
  threshold?: number;
};

const STATE_TEXT: Record<TileState, string> = {
  ok: "✓ Within threshold",
  alert: "⚠ Over threshold",
  pending: "◔ Over threshold, alert pending",
  none: "",
};

/** The frame every health tile shares: label, value, its standing against a threshold and the hour's trend. */
export function Tile({ label, value, state, thresholdText, trend, threshold }: TileProps) {
  return (
    <li className={`tile tile-${state}`}>
      <p className="tile-label">{label}</p>
      <p className="tile-value">{value}</p>
      <p className="tile-threshold">
        {state !== "none" && <span className={`tile-flag tile-flag-${state}`}>{STATE_TEXT[state]}</span>}{" "}
        <span className="muted">{thresholdText}</span>
      </p>
      {trend !== undefined && <Sparkline values={trend} threshold={threshold} alert={state === "alert"} />}
    </li>
  );
}
