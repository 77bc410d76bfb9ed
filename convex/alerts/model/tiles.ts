/**
 * One rule, one place: an Overview tile takes its colour from the alert rules on its signal, so a
 * tile is red exactly when one of those rules fires there, amber while one is pending, and the
 * threshold it prints is the rule's own.
 */
import type { RuleSignal } from "./rules";
import type { AlertState, ValueUnit } from "./states";

/** The console-wide signals with a tile: plan usage (also the Usage page's standing) and the backups' RPO. */
export const CONSOLE_TILE_SIGNALS = [
  "usage_share",
  "backup_age_share",
] as const satisfies readonly RuleSignal[];

/** The signals that have an Overview tile. */
export const TILE_SIGNALS = [
  "error_rate",
  "p95_ms",
  "occ_share",
  "slow_calls",
  "scheduler_lag_s",
  "stream_silent_min",
  ...CONSOLE_TILE_SIGNALS,
] as const satisfies readonly RuleSignal[];

export type TileSignal = (typeof TILE_SIGNALS)[number];

/** "alert" red, "pending" amber, "ok" normal, "none" no enabled rule or nothing to judge (No data, Error). */
export type TileVerdict = "alert" | "pending" | "ok" | "none";

export type RuleOnTile = {
  signal: RuleSignal;
  name: string;
  unit: ValueUnit;
  threshold: number;
  pendingMs: number;
  enabled: boolean;
  /** The rule's instance on the tile's deployment; null when it was never out of Normal. */
  state: AlertState | null;
  reason: string | null;
};

export type TileJudgement = {
  verdict: TileVerdict;
  /** The rule that decided it: the one in the worst state, else the one that fires first. */
  rule: { name: string; unit: ValueUnit; threshold: number; pendingMs: number; reason: string | null } | null;
};

const VERDICT_OF: Record<AlertState, TileVerdict> = {
  firing: "alert",
  recovering: "alert",
  pending: "pending",
  normal: "ok",
  nodata: "none",
  error: "none",
};

const RANK: Record<TileVerdict, number> = { alert: 3, pending: 2, ok: 1, none: 0 };

/** Each tile's verdict from the enabled rules on its signal. */
export function judgeTiles<S extends TileSignal = TileSignal>(
  rules: readonly RuleOnTile[],
  signals: readonly S[] = TILE_SIGNALS as readonly TileSignal[] as readonly S[],
): Record<S, TileJudgement> {
  const entries = signals.map((signal) => {
    const candidates = rules
      .filter((rule) => rule.enabled && rule.signal === signal)
      .map((rule) => ({ rule, verdict: VERDICT_OF[rule.state ?? "normal"] }))
      .sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || a.rule.threshold - b.rule.threshold);
    const decider = candidates[0];
    const judgement: TileJudgement =
      decider === undefined
        ? { verdict: "none", rule: null }
        : {
            verdict: decider.verdict,
            rule: {
              name: decider.rule.name,
              unit: decider.rule.unit,
              threshold: decider.rule.threshold,
              pendingMs: decider.rule.pendingMs,
              reason: decider.rule.state === null ? null : decider.rule.reason,
            },
          };
    return [signal, judgement] as const;
  });
  return Object.fromEntries(entries) as Record<S, TileJudgement>;
}
