/**
 * Answers of the metrics queries, typed against the real queries' results: a query whose result
 * changes breaks the fixtures that no longer match it.
 */
import type { FunctionReturnType } from "convex/server";
import { api } from "@convex/_generated/api";
import { LAST_HOUR, lastWindow, TEST_NOW, TEST_RANGE_END } from "./clock";
import { answerQuery, fakeId } from "./fakeConvex";

type Dashboard = typeof api.metrics.metrics;
type Result<Query extends Dashboard[keyof Dashboard]> = FunctionReturnType<Query>;
type Point = Result<Dashboard["overview"]>["series"][number];
type FunctionStat = Result<Dashboard["functionStats"]>["functions"][number];
type SlowCall = Result<Dashboard["slowCalls"]>[number];
type ErrorGroup = Result<Dashboard["errorGroups"]>["groups"][number];

export const MINUTE = 60_000;
export const NOW = TEST_NOW;
const minute = (offset: number) => Math.floor(NOW / MINUTE) * MINUTE - offset * MINUTE;

export const DEPLOYMENTS: Result<Dashboard["deployments"]> = [
  { name: "tall-sheep-123", type: "prod", lastEventAt: NOW - 20_000 },
  { name: "happy-cat-456", type: "dev", lastEventAt: NOW - 3_600_000 },
];

export function point(offset: number, overrides: Partial<Point> = {}): Point {
  return {
    bucket: minute(offset),
    calls: 100,
    slowCalls: 2,
    failures: 0,
    failuresByCode: {},
    errorRate: 0,
    p95Ms: 120,
    occShare: 0,
    ...overrides,
  };
}

export const OVERVIEW: Result<Dashboard["overview"]> = {
  slowThresholds: { durationMs: 250, dbCalls: 10, docsScanned: 10_000 },
  calls: 2550,
  mutations: 400,
  requestsPerMinute: 42.5,
  recentRate: { from: minute(6), to: minute(1), calls: 485, perMinute: 97 },
  errorRate: 0.034,
  p95Ms: 180,
  occShare: 0.01,
  slowCallsLastHour: 17,
  schedulerLagSeconds: 1.5,
  schedulerLagSeries: [{ bucket: minute(3), value: 1.5 }],
  lastEventAt: NOW - 20_000,
  lastVerificationAt: NOW - 3_600_000,
  series: [point(3), point(2, { failures: 5, failuresByCode: { OCC: 5 }, errorRate: 0.05 }), point(1)],
};

function stat(
  functionPath: string,
  functionType: FunctionStat["functionType"],
  p95Ms: number | null,
  extra: Partial<FunctionStat> = {},
): FunctionStat {
  return {
    functionPath,
    functionType,
    calls: 1000,
    failures: 0,
    errorRate: 0,
    cacheHitRate: 0,
    p50Ms: p95Ms === null ? null : p95Ms / 4,
    p95Ms,
    p99Ms: p95Ms === null ? null : p95Ms * 2,
    maxMs: p95Ms === null ? 0 : p95Ms * 3,
    meanMs: 20,
    meanReadDocuments: 12.5,
    totalTimeMs: 20_000,
    shareOfTime: 0.2,
    failuresByCode: {},
    ...extra,
  };
}

export const FUNCTION_STATS: Result<Dashboard["functionStats"]> = {
  granularity: "minute",
  truncated: false,
  functions: [
    stat("tasks:list", "query", 240, { shareOfTime: 0.6 }),
    stat("tasks:create", "mutation", 90, {
      failures: 30,
      failuresByCode: { OCC: 25, VALIDATION_ERROR: 5 },
      errorRate: 0.03,
      shareOfTime: 0.3,
    }),
    stat("tasks:sync", "action", 1200, {
      failures: 5,
      failuresByCode: { TIMEOUT: 5 },
      errorRate: 0.005,
      shareOfTime: 0.1,
    }),
    stat("users:get", "query", 12),
    stat("users:touch", "mutation", 30),
    stat("cron:sweep", "mutation", 700),
  ],
};

export function slowCall(id: string, durationMs: number, extra: Partial<SlowCall> = {}): SlowCall {
  return {
    _id: fakeId("slowCalls", id),
    ts: NOW - 60_000,
    requestId: `req-${id}`,
    functionPath: "tasks:list",
    functionType: "query",
    status: "success",
    durationMs,
    dbCalls: 15,
    docsScanned: 342,
    readDocuments: 342,
    correlationId: `${NOW}-a3f2`,
    ...extra,
  };
}

export const SLOW_CALLS: SlowCall[] = [
  slowCall("c1", 237, { ts: NOW - 10_000 }),
  slowCall("c2", 1450, {
    ts: NOW - 20_000,
    functionPath: "tasks:sync",
    functionType: "action",
    dbCalls: null,
    docsScanned: null,
    correlationId: null,
  }),
  slowCall("c3", 610, {
    ts: NOW - 30_000,
    functionPath: "tasks:create",
    functionType: "mutation",
    status: "failure",
  }),
];

export const TIMELINE: Result<Dashboard["requestTimeline"]> = [
  {
    kind: "execution",
    ts: NOW - 10_000,
    functionPath: "tasks:list",
    functionType: "query",
    status: "success",
    durationMs: 237,
    errorCode: null,
    errorMessage: null,
    readDocuments: 342,
    writeDocuments: 0,
  },
  {
    kind: "log",
    ts: NOW - 9_990,
    functionPath: "tasks:list",
    level: "warn",
    message:
      '{"level":"warn","module":"tasks","message":"Slow query detected","correlationId":"1704067200000-a3f2"}',
  },
];

export const ERROR_GROUP_ROWS: ErrorGroup[] = [
  {
    groupId: fakeId("errorGroups", "g1"),
    functionPath: "tasks:create",
    code: "OCC",
    message: "Documents read from or written to the <str> table changed while this mutation was being run",
    sampleMessage:
      'Documents read from or written to the "tasks" table changed while this mutation was being run',
    count: 25,
    firstSeen: NOW - 50 * MINUTE,
    lastSeen: NOW - 2 * MINUTE,
    lastRequestId: "req-occ",
    firstSeenEver: NOW - 3 * 24 * 60 * MINUTE,
  },
  {
    groupId: fakeId("errorGroups", "g2"),
    functionPath: "tasks:create",
    code: "VALIDATION_ERROR",
    message: "ArgumentValidationError: Value does not match validator.",
    sampleMessage: "ArgumentValidationError: Value does not match validator. Path: .text",
    count: 5,
    firstSeen: NOW - 40 * MINUTE,
    lastSeen: NOW - 5 * MINUTE,
    lastRequestId: "req-val",
    firstSeenEver: NOW - 40 * MINUTE,
  },
];

export function errorGroupsAnswer(
  rows = ERROR_GROUP_ROWS,
  truncated = false,
): Result<Dashboard["errorGroups"]> {
  return { granularity: "minute", truncated, groups: rows };
}

export const ERROR_GROUPS = errorGroupsAnswer();

export const ERROR_GROUP_CALLS: Result<Dashboard["errorGroupCalls"]> = {
  group: {
    groupId: fakeId("errorGroups", "g1"),
    functionPath: "tasks:create",
    code: "OCC",
    message: ERROR_GROUP_ROWS[0]!.message,
  },
  truncated: false,
  calls: [
    {
      requestId: "req-occ",
      ts: NOW - 2 * MINUTE,
      functionType: "mutation",
      durationMs: 40,
      errorMessage: ERROR_GROUP_ROWS[0]!.sampleMessage,
    },
    {
      requestId: "req-occ-older",
      ts: NOW - 30 * MINUTE,
      functionType: "mutation",
      durationMs: 35,
      errorMessage: ERROR_GROUP_ROWS[0]!.sampleMessage,
    },
  ],
};

export const ERROR_SERIES: Result<Dashboard["errorSeries"]> = {
  granularity: "minute",
  bucketMs: MINUTE,
  points: [
    point(10, { failures: 20, failuresByCode: { OCC: 15, VALIDATION_ERROR: 5 }, errorRate: 0.2 }),
    point(5, { failures: 10, failuresByCode: { OCC: 10 }, errorRate: 0.1 }),
  ],
};

type Tiles = FunctionReturnType<typeof api.alerts.alerts.tiles>;
type Judgement = Tiles["error_rate"];
const normal = (
  name: string,
  unit: NonNullable<Judgement["rule"]>["unit"],
  threshold: number,
): Judgement => ({
  verdict: "ok",
  rule: { name, unit, threshold, pendingMs: 5 * MINUTE, reason: null },
});

/** The seeded rules, all Normal on the deployment: what the Overview tiles are coloured by. */
export const TILES: Tiles = {
  error_rate: normal("Error rate above 1 %", "ratio", 0.01),
  p95_ms: normal("p95 latency above 500 ms", "ms", 500),
  occ_share: normal("Write conflicts above 5 % of mutations", "ratio", 0.05),
  slow_calls: normal("Slow calls", "count", 20),
  scheduler_lag_s: normal("Scheduler lag above 60 s", "seconds", 60),
  stream_silent_min: {
    verdict: "ok",
    rule: { name: "Log stream silent", unit: "minutes", threshold: 10, pendingMs: 0, reason: null },
  },
  usage_share: {
    verdict: "ok",
    rule: { name: "Usage at 80 % of the plan", unit: "ratio", threshold: 0.8, pendingMs: 0, reason: null },
  },
  backup_age_share: {
    verdict: "ok",
    rule: {
      name: "Newest verified backup older than the RPO target",
      unit: "ratio",
      threshold: 1,
      pendingMs: 0,
      reason: null,
    },
  },
};

/**
 * Answers the Overview's queries for exactly the args the page must ask: the chosen deployment's
 * metrics over the last hour ending at the next minute, with the fixtures above; the backup, usage
 * and runbook tiles still loading until a test answers them for the same args.
 */
export function answerOverviewMetrics(deployment = "tall-sheep-123") {
  answerQuery(api.backups.backups.rpo, {}, undefined);
  answerQuery(api.usage.usage.headline, { now: TEST_RANGE_END }, undefined);
  answerQuery(api.runbooks.runbooks.summary, { now: TEST_RANGE_END }, undefined);
  answerQuery(api.metrics.metrics.deployments, {}, DEPLOYMENTS);
  answerQuery(api.metrics.metrics.overview, { deployment, now: TEST_RANGE_END }, OVERVIEW);
  answerQuery(api.alerts.alerts.tiles, { deployment }, TILES);
  answerQuery(api.metrics.metrics.functionStats, lastWindow(deployment, LAST_HOUR), FUNCTION_STATS);
  answerQuery(api.metrics.metrics.errorGroups, lastWindow(deployment, LAST_HOUR), ERROR_GROUPS);
}

/** The log stream of a console that has no webhook secret yet and has heard from no deployment. */
export const UNCONFIGURED_STREAM: FunctionReturnType<typeof api.metrics.webhookSecrets.status> = {
  accepted: [],
  environmentRetired: false,
  problem: null,
  secret: null,
  deployments: [],
};
