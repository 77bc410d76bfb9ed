/** Pure view logic of the metrics pages: filters, summaries and CSV rows. */
import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import { toCsv } from "@/lib/csv";
import { formatCount, formatPercent } from "@/lib/format";
import { formatIso } from "@/lib/time";
import type { SlowQueriesSearch } from "./search";
import { codesByFrequency, formatBucketLabel, type SeriesPoint } from "./series";

type Dashboard = typeof api.metrics.metrics;
export type FunctionStat = FunctionReturnType<Dashboard["functionStats"]>["functions"][number];
export type SlowCall = FunctionReturnType<Dashboard["slowCalls"]>[number];
export type ErrorGroup = FunctionReturnType<Dashboard["errorGroups"]>["groups"][number];

// Slow queries -----------------------------------------------------------------------------------

type SlowFilters = Pick<SlowQueriesSearch, "fn" | "type" | "minMs">;

function matchesFunction(filters: SlowFilters, functionPath: string, functionType: string): boolean {
  return (
    (filters.fn === undefined || functionPath.toLowerCase().includes(filters.fn.toLowerCase())) &&
    (filters.type === undefined || functionType === filters.type)
  );
}

/** Functions matching the path and type filters whose p95 reaches the minimum (no p95 counts as 0). */
export function filterFunctionStats(functions: FunctionStat[], filters: SlowFilters): FunctionStat[] {
  return functions.filter(
    (row) =>
      matchesFunction(filters, row.functionPath, row.functionType) &&
      (filters.minMs === undefined || (row.p95Ms ?? 0) >= filters.minMs),
  );
}

/** Slow calls matching the path and type filters that took at least the minimum duration. */
export function filterSlowCalls(calls: SlowCall[], filters: SlowFilters): SlowCall[] {
  return calls.filter(
    (row) =>
      matchesFunction(filters, row.functionPath, row.functionType) &&
      (filters.minMs === undefined || row.durationMs >= filters.minMs),
  );
}

/** The minimum-milliseconds filter as typed: a positive number, or no filter. */
export function parseMinMs(draft: string): number | undefined {
  const minMs = Number(draft);
  return draft.trim() !== "" && Number.isFinite(minMs) && minMs > 0 ? minMs : undefined;
}

export function functionStatsCsv(rows: FunctionStat[]): string {
  return toCsv(
    [
      "function",
      "type",
      "calls",
      "p50_ms",
      "p95_ms",
      "p99_ms",
      "max_ms",
      "mean_ms",
      "mean_docs_read",
      "error_rate",
      "share_of_time",
    ],
    rows.map((row) => [
      row.functionPath,
      row.functionType,
      row.calls,
      row.p50Ms,
      row.p95Ms,
      row.p99Ms,
      row.maxMs,
      row.meanMs,
      row.meanReadDocuments,
      row.errorRate,
      row.shareOfTime,
    ]),
  );
}

export function slowCallsCsv(rows: SlowCall[]): string {
  return toCsv(
    [
      "time",
      "function",
      "type",
      "duration_ms",
      "db_calls",
      "docs_scanned",
      "read_documents",
      "correlation_id",
      "request_id",
      "status",
    ],
    rows.map((row) => [
      formatIso(row.ts),
      row.functionPath,
      row.functionType,
      row.durationMs,
      row.dbCalls,
      row.docsScanned,
      row.readDocuments,
      row.correlationId,
      row.requestId,
      row.status,
    ]),
  );
}

// Errors -----------------------------------------------------------------------------------------

export function errorGroupsCsv(rows: ErrorGroup[]): string {
  return toCsv(
    ["count", "code", "function", "message", "sample_message", "first_seen", "last_seen", "last_request_id"],
    rows.map((row) => [
      row.count,
      row.code,
      row.functionPath,
      row.message,
      row.sampleMessage,
      formatIso(row.firstSeen),
      formatIso(row.lastSeen),
      row.lastRequestId,
    ]),
  );
}

/**
 * The error chart in one sentence, for screen readers and a quick read: calls and failures in the
 * range (of one code when selected), each code's count, and with all codes the busiest minute.
 */
export function errorChartSummary(points: SeriesPoint[], code: string | undefined, rangeLabel: string) {
  const byCode = codesByFrequency(points).filter((entry) => code === undefined || entry.code === code);
  const calls = points.reduce((total, point) => total + point.calls, 0);
  const failures = byCode.reduce((total, entry) => total + entry.failures, 0);
  const busiest = points.reduce<SeriesPoint | undefined>(
    (best, point) => (point.failures > (best?.failures ?? 0) ? point : best),
    undefined,
  );
  const what = code === undefined ? "failures" : `${code} failures`;
  let summary: string;
  if (calls === 0) {
    summary = `No calls ${rangeLabel}.`;
  } else if (failures === 0) {
    summary = `No ${what} in ${formatCount(calls)} calls ${rangeLabel}.`;
  } else {
    summary =
      `${formatCount(failures)} ${what} in ${formatCount(calls)} calls ${rangeLabel} (${formatPercent(failures / calls)}): ` +
      `${byCode.map((entry) => `${entry.code} ${formatCount(entry.failures)}`).join(", ")}.`;
    if (busiest !== undefined && code === undefined) {
      summary += ` Most failures at ${formatBucketLabel(busiest.bucket)} (${formatCount(busiest.failures)}).`;
    }
  }
  return { byCode, failures, summary };
}

export type FunctionFailures = {
  functionPath: string;
  functionType: string;
  calls: number;
  failures: number;
  failuresByCode: Record<string, number>;
};

export type FailingFunction<T> = T & { failures: number; errorRate: number };

/**
 * Functions that failed, most failures first. With an error code selected, a function's failures
 * and error rate count that code only, like the chart and the error groups beside them.
 */
export function failuresByFunction<T extends FunctionFailures>(
  functions: T[],
  code: string | undefined,
): Array<FailingFunction<T>> {
  return functions
    .map((row) => {
      const failures = code === undefined ? row.failures : (row.failuresByCode[code] ?? 0);
      return { ...row, failures, errorRate: row.calls === 0 ? 0 : failures / row.calls };
    })
    .filter((row) => row.failures > 0)
    .sort((a, b) => b.failures - a.failures);
}
