import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

crons.interval("sweep expired metrics", { minutes: 10 }, internal.metrics.retention.sweep, {});
crons.interval(
  "move the per-range function summaries",
  { minutes: 1 },
  internal.metrics.functionWindows.advanceFunctionWindows,
  {},
);
crons.interval(
  "give closed deploy windows their verdict",
  { minutes: 1 },
  internal.functions.functions.startDueVerdicts,
  {},
);
crons.interval("start runbook periods", { minutes: 15 }, internal.runbooks.cron.startPeriods, {});

crons.interval("start scheduled backups", { minutes: 5 }, internal.backups.cron.startScheduledBackup, {});
crons.interval(
  "fail stalled backup and restore steps",
  { minutes: 5 },
  internal.backups.watchdog.failStalledSteps,
  {},
);
crons.interval("fail stalled import steps", { minutes: 5 }, internal.imports.watchdog.failStalledImports, {});
crons.interval("apply backup retention", { hours: 1 }, internal.backups.cron.applyRetentionPolicy, {});

// Convex's own usage dashboard refreshes every 10 minutes; its meter is read as often.
crons.interval("read Convex's usage figures", { minutes: 10 }, internal.usage.convexFigures.fetch, {});

// Grafana evaluates every 60 s by default; so do the alert rules.
crons.interval("evaluate alert rules", { minutes: 1 }, internal.alerts.evaluate.evaluate, {});

export default crons;
