/**
 * The built-in rules, as seeded: the seeds' thresholds (error rate > 1 %, p95 > 500 ms, storage
 * > 80 % of plan, OCC > 5 % of mutations; high error rate > 5 % as a warning) and the console's
 * own (slow calls, scheduler lag, a silent log stream, usage, backups). Admins edit the stored
 * copies; this list only decides what a fresh console starts with.
 */
import { STALE_STREAM_MS } from "../../metrics/shared";
import { APPROACHING_SHARE } from "../../usage/shared";
import type { ValueUnit } from "./states";

/** What a rule measures; the evaluator knows how to read each one. */
export type RuleSignal =
  | "error_rate"
  | "p95_ms"
  | "occ_share"
  | "slow_calls"
  | "scheduler_lag_s"
  | "stream_silent_min"
  | "usage_share"
  | "backup_age_share"
  | "backup_failures"
  | "function_p95_ms"
  | "function_error_rate"
  | "deploy_regression"
  | "log_matches";

/** Per watched deployment, per function of each deployment, or once for the console (backups, plan). */
export type RuleScope = "deployment" | "function" | "console";

export type Severity = "warning" | "critical";

export type RuleDefinition = {
  key: string;
  name: string;
  signal: RuleSignal;
  scope: RuleScope;
  unit: ValueUnit;
  threshold: number;
  recoveryThreshold: number;
  pendingMs: number;
  keepFiringMs: number;
  severity: Severity;
  /** The runbook item it opens: template slug and item key (Runbooks route). */
  runbook: { template: string; item: string } | null;
  /** The summary a notification carries; {value}, {threshold} and {deployment} are filled in. */
  summary: string;
  enabled: boolean;
};

const MIN = 60_000;

/** How far back every rollup-based rule looks: the last five whole minutes. */
export const WINDOW_MINUTES = 5;

/**
 * How long a deploy's verdict keeps its regressions alive when no later deploy is judged: a day,
 * so a regression nobody fixed is not forgotten within the hour, yet does not fire for ever.
 */
export const REGRESSION_LOOKBACK_MS = 24 * 60 * MIN;

export const SIGNAL_LABELS: Record<RuleSignal, string> = {
  error_rate: "error rate",
  p95_ms: "p95",
  occ_share: "write conflicts",
  slow_calls: "slow calls",
  scheduler_lag_s: "scheduler lag",
  stream_silent_min: "minutes without an event",
  usage_share: "plan used",
  backup_age_share: "newest verified backup age (share of the RPO target)",
  backup_failures: "failed backups and restores in 24 h",
  function_p95_ms: "p95",
  function_error_rate: "error rate",
  deploy_regression: "measures regressed since the deploy",
  log_matches: "matching log events",
};

/** A built-in rule: enabled, pending 5 minutes and firing no longer than its condition holds, unless it says otherwise. */
function rule(
  definition: Omit<RuleDefinition, "enabled" | "runbook" | "pendingMs" | "keepFiringMs"> &
    Partial<RuleDefinition>,
): RuleDefinition {
  return { enabled: true, runbook: null, pendingMs: 5 * MIN, keepFiringMs: 0, ...definition };
}

/**
 * A rule on a state rather than on noisy traffic (a silent stream, a plan share, a backup's age,
 * a deploy's verdict): it fires on the first evaluation that sees the state and resolves on the
 * first that does not, so it neither waits nor keeps a margin below its threshold.
 */
function stateRule(
  definition: Omit<
    RuleDefinition,
    "enabled" | "runbook" | "pendingMs" | "keepFiringMs" | "recoveryThreshold"
  > &
    Partial<RuleDefinition>,
): RuleDefinition {
  return rule({ pendingMs: 0, recoveryThreshold: definition.threshold, ...definition });
}

export const BUILT_IN_RULES: readonly RuleDefinition[] = [
  rule({
    key: "error-rate",
    name: "Error rate above 1 %",
    signal: "error_rate",
    scope: "deployment",
    unit: "ratio",
    threshold: 0.01,
    recoveryThreshold: 0.008,
    severity: "critical",
    runbook: { template: "complete-outage", item: "check-logs" },
    summary: "{deployment}: error rate {value} > {threshold}",
  }),
  rule({
    key: "high-error-rate",
    runbook: { template: "complete-outage", item: "check-logs" },
    name: "High error rate above 5 %",
    signal: "error_rate",
    scope: "deployment",
    unit: "ratio",
    threshold: 0.05,
    recoveryThreshold: 0.04,
    severity: "warning",
    summary: "{deployment}: error rate {value} > {threshold}",
  }),
  rule({
    key: "p95-latency",
    runbook: { template: "monitoring", item: "response-times" },
    name: "p95 latency above 500 ms",
    signal: "p95_ms",
    scope: "deployment",
    unit: "ms",
    threshold: 500,
    recoveryThreshold: 450,
    keepFiringMs: 5 * MIN,
    severity: "warning",
    summary: "{deployment}: p95 {value} > {threshold}",
  }),
  rule({
    key: "occ-share",
    runbook: { template: "monitoring", item: "query-performance" },
    name: "Write conflicts above 5 % of mutations",
    signal: "occ_share",
    scope: "deployment",
    unit: "ratio",
    threshold: 0.05,
    recoveryThreshold: 0.04,
    severity: "warning",
    summary: "{deployment}: {value} of mutations hit a write conflict (> {threshold})",
  }),
  rule({
    key: "slow-calls",
    runbook: { template: "monitoring", item: "query-performance" },
    name: "Slow calls",
    signal: "slow_calls",
    scope: "deployment",
    unit: "count",
    threshold: 20,
    recoveryThreshold: 10,
    severity: "warning",
    summary: "{deployment}: {value} slow calls in 5 min (> {threshold})",
  }),
  rule({
    key: "scheduler-lag",
    name: "Scheduler lag above 60 s",
    signal: "scheduler_lag_s",
    scope: "deployment",
    unit: "seconds",
    threshold: 60,
    recoveryThreshold: 30,
    severity: "warning",
    summary: "{deployment}: scheduled functions run {value} late (> {threshold})",
  }),
  stateRule({
    key: "log-stream-silent",
    runbook: { template: "monitoring", item: "convex-connection" },
    name: "Log stream silent",
    signal: "stream_silent_min",
    scope: "deployment",
    unit: "minutes",
    // The same window after which the deployment picker and the runbook evidence call a stream stale.
    threshold: STALE_STREAM_MS / MIN,
    severity: "critical",
    summary: "{deployment}: no log stream event for {value}",
  }),
  stateRule({
    key: "usage-80",
    runbook: { template: "quarterly-maintenance", item: "capacity-planning" },
    name: "Usage at 80 % of the plan",
    signal: "usage_share",
    scope: "console",
    unit: "ratio",
    // The share from which the Usage page calls a metric Approaching.
    threshold: APPROACHING_SHARE,
    severity: "warning",
    summary: "{value} of a plan limit used or forecast by month end (> {threshold})",
  }),
  stateRule({
    key: "usage-100",
    runbook: { template: "quarterly-maintenance", item: "capacity-planning" },
    name: "Usage at the plan limit",
    signal: "usage_share",
    scope: "console",
    unit: "ratio",
    threshold: 1,
    severity: "critical",
    summary: "{value} of a plan limit used or forecast by month end (> {threshold})",
  }),
  stateRule({
    key: "backup-rpo",
    runbook: { template: "monitoring", item: "backups-successful" },
    name: "Newest verified backup older than the RPO target",
    signal: "backup_age_share",
    scope: "console",
    unit: "ratio",
    threshold: 1,
    severity: "critical",
    summary: "The newest verified backup is {value} of the RPO target old (> {threshold})",
  }),
  stateRule({
    key: "backup-failed",
    runbook: { template: "monitoring", item: "backups-successful" },
    name: "A backup or restore failed",
    signal: "backup_failures",
    scope: "console",
    unit: "count",
    threshold: 0,
    severity: "critical",
    summary: "{value} backups or restores failed in the last 24 h",
  }),
  rule({
    key: "function-p95",
    runbook: { template: "monitoring", item: "response-times" },
    name: "A function's p95 above 1,000 ms",
    signal: "function_p95_ms",
    scope: "function",
    unit: "ms",
    threshold: 1000,
    recoveryThreshold: 900,
    severity: "warning",
    summary: "{deployment} {function}: p95 {value} > {threshold}",
  }),
  rule({
    key: "function-error-rate",
    runbook: { template: "monitoring", item: "error-rates-normal" },
    name: "A function's error rate above 5 %",
    signal: "function_error_rate",
    scope: "function",
    unit: "ratio",
    threshold: 0.05,
    recoveryThreshold: 0.04,
    severity: "warning",
    summary: "{deployment} {function}: error rate {value} > {threshold}",
  }),
  stateRule({
    key: "deploy-regression",
    runbook: { template: "complete-outage", item: "rollback" },
    name: "A function regressed after a deploy",
    signal: "deploy_regression",
    scope: "function",
    unit: "count",
    // Fires on the verdict itself: the Deploys page already decided the change is significant.
    threshold: 0,
    severity: "warning",
    summary: "{deployment} {function}: {value} measures regressed after the latest deploy (see Deploys)",
  }),
];

/** The rule's limits an admin may set, as a sentence when they do not hold. */
export function ruleProblem(
  rule: Pick<RuleDefinition, "threshold" | "recoveryThreshold" | "pendingMs" | "keepFiringMs">,
): string | null {
  const numbers = [rule.threshold, rule.recoveryThreshold, rule.pendingMs, rule.keepFiringMs];
  if (numbers.some((value) => !Number.isFinite(value) || value < 0))
    return "Thresholds and periods must be numbers of zero or more.";
  if (rule.recoveryThreshold > rule.threshold) {
    return "The recovery threshold must be at or below the threshold, or the alert could never resolve.";
  }
  if (rule.pendingMs > 24 * 60 * MIN || rule.keepFiringMs > 24 * 60 * MIN)
    return "Pending and keep-firing periods are at most 24 hours.";
  return null;
}

/** The summary template filled in. */
export function fillSummary(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Identifies one instance of a rule: its deployment, and its function for per-function rules. */
export function instanceKey(deployment: string, functionPath: string | null): string {
  return functionPath === null ? deployment : `${deployment} ${functionPath}`;
}

/** The deployment label of console-wide rules (plan usage, backups). */
export const CONSOLE_INSTANCE = "console";
