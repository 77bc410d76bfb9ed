/**
 * The month to date of a team's usage from its daily rollups: each metric summed over every
 * watched deployment (each one's share kept), held against the plan's included amount, with its
 * state, forecast and the daily series its chart stacks by deployment. Pure, so the page's
 * arithmetic is tested without a database.
 */
import { forecastFlow, forecastStorage, type DayPoint, type Forecast } from "./forecast";
import type { FlowTotals, StorageReport } from "./metering";
import {
  flowValue,
  isStorageMetric,
  storageValue,
  USAGE_METRICS,
  type PlanLimits,
  type UsageMetric,
} from "./plans";
import { stateSeverity, usageState, type UsageState } from "./states";

export type UsageDayRow = FlowTotals & {
  deployment: string;
  day: string;
  dayStart: number;
  /** The day's earliest flow event; absent on older rows, which count from the day's start. */
  firstFlowAt?: number;
  storage: StorageReport | null;
};

/**
 * One day of a chart: `values[i]` belongs to `seriesKeys[i]` (an array, not an object keyed by
 * deployment name: names come from the wire and need not be valid field names).
 */
export type DailyPoint = { day: string; dayStart: number; values: number[] };

export type MetricSummary = {
  metric: UsageMetric;
  included: number;
  /** Month to date for flows, the current level for storage; null when storage was never reported. */
  value: number | null;
  share: number | null;
  state: UsageState | null;
  byDeployment: { deployment: string; value: number }[];
  forecast: Forecast | null;
  /** The chart's stack keys: deployments, or for database I/O each deployment's reads and writes. */
  seriesKeys: string[];
  daily: DailyPoint[];
};

export type StorageByKind = Omit<StorageReport, "at">;

export type Crossing = { metric: UsageMetric; threshold: 0.8 | 1; at: number };

export type UsageSummary = {
  deployments: string[];
  metrics: MetricSummary[];
  storageReportedAt: number | null;
  storageByKind: StorageByKind | null;
  /** The metric in the worst state (ties: the larger share); null before any usage. */
  worst: { metric: UsageMetric; state: UsageState; share: number } | null;
  /** The earliest 80 % or 100 % crossing still ahead, over every metric. */
  nextCrossing: Crossing | null;
};

type SummaryInputs = {
  /** Rollup rows from the storage slope's window start (≤ month start) to now. */
  rows: UsageDayRow[];
  month: { start: number; end: number };
  now: number;
  limits: PlanLimits;
};

export const IO_READS = "reads";
export const IO_WRITES = "writes";

function ioKey(deployment: string, part: typeof IO_READS | typeof IO_WRITES): string {
  return `${deployment} · ${part}`;
}

function flowSeries(metric: UsageMetric, rows: UsageDayRow[], deployments: string[]) {
  const seriesKeys =
    metric === "databaseIo"
      ? deployments.flatMap((deployment) => [ioKey(deployment, IO_READS), ioKey(deployment, IO_WRITES)])
      : deployments;
  const byDay = new Map<string, DailyPoint>();
  for (const row of rows) {
    const point = byDay.get(row.day) ?? {
      day: row.day,
      dayStart: row.dayStart,
      values: seriesKeys.map(() => 0),
    };
    byDay.set(row.day, point);
    if (metric === "databaseIo") {
      point.values[seriesKeys.indexOf(ioKey(row.deployment, IO_READS))] = flowValue(metric, {
        ...row,
        ioWriteBytes: 0,
      });
      point.values[seriesKeys.indexOf(ioKey(row.deployment, IO_WRITES))] = flowValue(metric, {
        ...row,
        ioReadBytes: 0,
      });
    } else {
      point.values[seriesKeys.indexOf(row.deployment)] = flowValue(metric, row);
    }
  }
  return { seriesKeys, daily: [...byDay.values()].sort((a, b) => a.dayStart - b.dayStart) };
}

/** Each day's storage level per deployment, carrying a deployment's last report over days without one. */
function storageLevels(rows: UsageDayRow[]) {
  const days = [...new Set(rows.map((row) => row.dayStart))].sort((a, b) => a - b);
  const latest = new Map<string, StorageReport>();
  const levels: {
    day: string;
    dayStart: number;
    reportedAt: number | null;
    reports: Map<string, StorageReport>;
  }[] = [];
  for (const dayStart of days) {
    let reportedAt: number | null = null;
    let dayKey = "";
    for (const row of rows) {
      if (row.dayStart !== dayStart) continue;
      dayKey = row.day;
      if (row.storage === null) continue;
      latest.set(row.deployment, row.storage);
      reportedAt = Math.max(reportedAt ?? 0, row.storage.at);
    }
    levels.push({ day: dayKey, dayStart, reportedAt, reports: new Map(latest) });
  }
  return levels;
}

function storageSummary(
  metric: UsageMetric,
  levels: ReturnType<typeof storageLevels>,
  deployments: string[],
  inputs: SummaryInputs,
): Pick<MetricSummary, "value" | "byDeployment" | "forecast" | "daily"> {
  const newest = levels[levels.length - 1];
  if (newest === undefined || newest.reports.size === 0) {
    return { value: null, byDeployment: [], forecast: null, daily: [] };
  }
  const levelOf = (reports: Map<string, StorageReport>) =>
    [...reports.values()].reduce((sum, report) => sum + storageValue(metric, report), 0);
  const points: DayPoint[] = levels
    .filter((level) => level.reportedAt !== null)
    .map((level) => ({ at: level.reportedAt!, value: levelOf(level.reports) }));
  return {
    value: levelOf(newest.reports),
    byDeployment: [...newest.reports].map(([deployment, report]) => ({
      deployment,
      value: storageValue(metric, report),
    })),
    forecast: forecastStorage({ monthEnd: inputs.month.end, points, included: inputs.limits[metric] }),
    daily: levels
      .filter((level) => level.dayStart >= inputs.month.start && level.reports.size > 0)
      .map((level) => ({
        day: level.day,
        dayStart: level.dayStart,
        values: deployments.map((name) => {
          const report = level.reports.get(name);
          return report === undefined ? 0 : storageValue(metric, report);
        }),
      })),
  };
}

function flowSummary(
  metric: UsageMetric,
  monthRows: UsageDayRow[],
  deployments: string[],
  inputs: SummaryInputs,
): Pick<MetricSummary, "value" | "byDeployment" | "forecast" | "daily" | "seriesKeys"> {
  const perDeployment = new Map<string, number>();
  const perDay = new Map<number, number>();
  let firstDataAt: number | null = null;
  for (const row of monthRows) {
    const amount = flowValue(metric, row);
    const startedAt = row.firstFlowAt ?? row.dayStart;
    firstDataAt = firstDataAt === null ? startedAt : Math.min(firstDataAt, startedAt);
    perDeployment.set(row.deployment, (perDeployment.get(row.deployment) ?? 0) + amount);
    perDay.set(row.dayStart, (perDay.get(row.dayStart) ?? 0) + amount);
  }
  const days = [...perDay].sort(([a], [b]) => a - b).map(([at, value]) => ({ at, value }));
  const value = days.reduce((sum, day) => sum + day.value, 0);
  const { seriesKeys, daily } = flowSeries(metric, monthRows, deployments);
  return {
    value,
    byDeployment: deployments.map((deployment) => ({
      deployment,
      value: perDeployment.get(deployment) ?? 0,
    })),
    forecast:
      days.length === 0
        ? null
        : forecastFlow({
            now: inputs.now,
            monthStart: inputs.month.start,
            monthEnd: inputs.month.end,
            firstDataAt,
            days,
            included: inputs.limits[metric],
          }),
    seriesKeys,
    daily,
  };
}

function nextCrossingOf(metrics: MetricSummary[]): Crossing | null {
  let next: Crossing | null = null;
  for (const summary of metrics) {
    for (const [threshold, crossing] of [
      [0.8, summary.forecast?.at80],
      [1, summary.forecast?.at100],
    ] as const) {
      if (!crossing || crossing.alreadyReached) continue;
      if (next === null || crossing.at < next.at)
        next = { metric: summary.metric, threshold, at: crossing.at };
    }
  }
  return next;
}

export function summarizeUsage(inputs: SummaryInputs): UsageSummary {
  const deployments = [...new Set(inputs.rows.map((row) => row.deployment))].sort();
  const monthRows = inputs.rows.filter(
    (row) => row.dayStart >= inputs.month.start && row.dayStart < inputs.month.end,
  );
  const levels = storageLevels(inputs.rows.filter((row) => row.dayStart < inputs.month.end));

  const metrics = USAGE_METRICS.map((metric): MetricSummary => {
    const included = inputs.limits[metric];
    const part = isStorageMetric(metric)
      ? { ...storageSummary(metric, levels, deployments, inputs), seriesKeys: deployments }
      : flowSummary(metric, monthRows, deployments, inputs);
    const value = part.value;
    return {
      metric,
      included,
      ...part,
      share: value === null ? null : value / included,
      state: value === null ? null : usageState(value, included),
    };
  });

  let worst: UsageSummary["worst"] = null;
  for (const summary of metrics) {
    // A metric at zero says nothing about the plan: before any usage there is no worst metric.
    if (summary.state === null || summary.share === null || !summary.value) continue;
    if (
      worst === null ||
      stateSeverity(summary.state) > stateSeverity(worst.state) ||
      (summary.state === worst.state && summary.share > worst.share)
    ) {
      worst = { metric: summary.metric, state: summary.state, share: summary.share };
    }
  }

  const newestStorage = levels[levels.length - 1];
  const reports = newestStorage ? [...newestStorage.reports.values()] : [];
  const storageByKind =
    reports.length === 0
      ? null
      : reports.reduce<StorageByKind>(
          (sum, report) => ({
            documentBytes: sum.documentBytes + report.documentBytes,
            indexBytes: sum.indexBytes + report.indexBytes,
            fileBytes: sum.fileBytes + report.fileBytes,
            backupBytes: sum.backupBytes + report.backupBytes,
            vectorBytes: sum.vectorBytes + report.vectorBytes,
            textBytes: sum.textBytes + report.textBytes,
          }),
          { documentBytes: 0, indexBytes: 0, fileBytes: 0, backupBytes: 0, vectorBytes: 0, textBytes: 0 },
        );

  return {
    deployments,
    metrics,
    storageReportedAt: reports.length === 0 ? null : Math.max(...reports.map((report) => report.at)),
    storageByKind,
    worst,
    nextCrossing: nextCrossingOf(metrics),
  };
}
