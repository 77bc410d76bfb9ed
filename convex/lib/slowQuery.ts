/**
 * The structured warning an instrumented function logs when it crosses a threshold, in the seeds' format:
 * {"level":"warn","module":"tasks","message":"Slow query detected","correlationId":"1704067200000-a3f2",
 *  "function":"tasks.list","duration":"237.42ms","dbCalls":15,"docsScanned":342}
 */
export type SlowQueryThresholds = { durationMs: number; dbCalls: number; docsScanned: number };

export const DEFAULT_SLOW_QUERY_THRESHOLDS: SlowQueryThresholds = {
  durationMs: 100,
  dbCalls: 10,
  docsScanned: 10_000,
};

const SLOW_QUERY_MESSAGE = "Slow query detected";

export type SlowQueryLine = {
  correlationId: string;
  functionName: string;
  durationMs: number;
  dbCalls: number;
  docsScanned: number;
};

type CallMeasurements = { durationMs: number; dbCalls: number; docsScanned: number };

export function isSlow(call: CallMeasurements, thresholds: SlowQueryThresholds): boolean {
  return (
    call.durationMs > thresholds.durationMs ||
    call.dbCalls > thresholds.dbCalls ||
    call.docsScanned > thresholds.docsScanned
  );
}

export function formatSlowQueryLine(module: string, line: SlowQueryLine): string {
  return JSON.stringify({
    level: "warn",
    module,
    message: SLOW_QUERY_MESSAGE,
    correlationId: line.correlationId,
    function: line.functionName,
    duration: `${line.durationMs.toFixed(2)}ms`,
    dbCalls: line.dbCalls,
    docsScanned: line.docsScanned,
  });
}

/**
 * Reads one console message. Convex may prefix a logged string with its level in quotes or wrap
 * it, so the JSON object is taken from the first "{" to the last "}". Null if it is not a slow-query line.
 */
export function parseSlowQueryLine(message: string): SlowQueryLine | null {
  const start = message.indexOf("{");
  const end = message.lastIndexOf("}");
  if (start === -1 || end <= start) return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(message.slice(start, end + 1)) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (data.message !== SLOW_QUERY_MESSAGE) return null;
  const duration =
    typeof data.duration === "number" ? data.duration : Number.parseFloat(String(data.duration));
  if (typeof data.function !== "string" || !Number.isFinite(duration)) return null;
  return {
    correlationId: typeof data.correlationId === "string" ? data.correlationId : "",
    functionName: data.function,
    durationMs: duration,
    dbCalls: typeof data.dbCalls === "number" ? data.dbCalls : 0,
    docsScanned: typeof data.docsScanned === "number" ? data.docsScanned : 0,
  };
}

/** `<ms>-<4 hex>`: sortable by time, unique enough within a millisecond. */
export function newCorrelationId(now: number, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `${now}-${suffix}`;
}
