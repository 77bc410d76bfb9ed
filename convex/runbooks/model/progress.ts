/** How far a checklist run got, and whether it is overdue: pure, so the rules are unit-tested. */

export type RunState =
  /** Its period is running (or an on-demand run is open) and items remain. */
  | "open"
  /** Every item is ticked. */
  | "complete"
  /** Its period ended with unticked items. */
  | "overdue"
  /** An on-demand run closed with unticked items. */
  | "closed_incomplete";

/** A period in the history strip: a run's state, or no run at all (nobody opened it, no cron ran). */
export type HistoryState = RunState | "no_run";

type RunFacts = {
  itemCount: number;
  ticked: number;
  /** Null for on-demand runs. */
  periodEnd: number | null;
  closedAt?: number;
};

type RunProgress = {
  ticked: number;
  total: number;
  /** 0–100, rounded down so a run shows 100 only when it is complete. */
  percent: number;
  state: RunState;
  overdue: boolean;
};

export function runProgress(run: RunFacts, now: number): RunProgress {
  const total = run.itemCount;
  const ticked = Math.min(run.ticked, total);
  const complete = ticked >= total;
  let state: RunState;
  if (complete) state = "complete";
  else if (run.periodEnd !== null && now >= run.periodEnd) state = "overdue";
  else if (run.periodEnd === null && run.closedAt !== undefined) state = "closed_incomplete";
  else state = "open";
  return {
    ticked,
    total,
    percent: total === 0 ? 100 : Math.floor((ticked / total) * 100),
    state,
    overdue: state === "overdue",
  };
}

/** A recurring run accepts ticks only during its period; an on-demand one until it is closed. */
export function acceptsTicks(run: { periodEnd: number | null; closedAt?: number }, now: number): boolean {
  if (run.closedAt !== undefined) return false;
  return run.periodEnd === null || now < run.periodEnd;
}

/** Keeps a tick document's history bounded: the newest events win, the first tick always stays. */
export function appendBounded<T>(history: readonly T[], event: T, max: number): T[] {
  const next = [...history, event];
  if (next.length <= max) return next;
  return [next[0]!, ...next.slice(next.length - (max - 1))];
}
