import { defineTable } from "convex/server";
import { v } from "convex/values";

const nullableString = v.union(v.string(), v.null());
const nullableNumber = v.union(v.number(), v.null());
const granularity = v.union(v.literal("minute"), v.literal("hour"));

const rollupTotalsFields = {
  calls: v.number(),
  failures: v.number(),
  failuresByCode: v.record(v.string(), v.number()),
  cacheHits: v.number(),
  slowCalls: v.number(),
  mutations: v.number(),
  occFailures: v.number(),
  durationSumMs: v.number(),
  maxDurationMs: v.number(),
  minDurationMs: v.optional(v.number()),
  histogram: v.array(v.number()),
  readDocuments: v.number(),
  readDocumentsSquares: v.optional(v.number()),
  readBytes: v.number(),
  writeDocuments: v.number(),
  writeBytes: v.number(),
};

/** Everything the log-stream ingest writes. Raw rows expire; rollups are what pages read. */
export const metricsTables = {
  /** One row per watched deployment streaming here: the "log stream connected" status. */
  watchedDeployments: defineTable({
    name: v.string(),
    type: v.string(),
    projectSlug: nullableString,
    firstEventAt: v.number(),
    lastEventAt: v.number(),
    lastVerificationAt: nullableNumber,
    eventsAccepted: v.number(),
    duplicates: v.number(),
    replaysRejected: v.number(),
    unknownTopics: v.number(),
  }).index("by_name", ["name"]),

  /**
   * The webhook secrets Convex generated; never returned to a browser. Stored encrypted with
   * CONSOLE_SECRETS_KEY (`v1.…`, convex/lib/secrets.ts); a plain value predates encryption and verifies nothing.
   */
  logStreamSecrets: defineTable({
    current: v.string(),
    /** `••••last4` of each, kept when set so showing them never needs decrypting. */
    currentMasked: v.optional(v.string()),
    previous: nullableString,
    previousMasked: v.optional(nullableString),
    previousValidUntil: nullableNumber,
    /** Grace for LOG_STREAM_WEBHOOK_SECRET once a secret is set here; absent or past: retired. */
    environmentValidUntil: v.optional(nullableNumber),
    rotatedAt: v.number(),
    rotatedBy: v.string(),
  }),

  /**
   * Digests of the batches already stored, kept for twice the replay window: a retry resends the
   * same body, so one lookup per request finds it; a later resend is stale and fails the replay check.
   */
  seenBatches: defineTable({ digest: v.string(), ts: v.number() })
    .index("by_digest", ["digest"])
    .index("by_ts", ["ts"]),

  executions: defineTable({
    deployment: v.string(),
    ts: v.number(),
    requestId: v.string(),
    functionPath: v.string(),
    functionType: v.string(),
    cached: v.boolean(),
    status: v.union(v.literal("success"), v.literal("failure")),
    durationMs: v.number(),
    errorCode: nullableString,
    errorMessage: nullableString,
    normalizedError: nullableString,
    occTable: nullableString,
    runReason: nullableString,
    readDocuments: v.number(),
    readBytes: v.number(),
    writeDocuments: v.number(),
    writeBytes: v.number(),
  })
    .index("by_ts", ["ts"])
    .index("by_deployment_ts", ["deployment", "ts"])
    .index("by_request", ["deployment", "requestId"])
    /** A deployment's failing calls in a time window (the requests behind an alert), without its successes. */
    .index("by_deployment_status_ts", ["deployment", "status", "ts"])
    /** One error group's failing calls: failures carry a code, and their normalised message names the group. */
    .index("by_error_group", ["deployment", "functionPath", "errorCode", "normalizedError", "ts"]),

  consoleLines: defineTable({
    deployment: v.string(),
    ts: v.number(),
    requestId: nullableString,
    functionPath: nullableString,
    level: v.string(),
    message: v.string(),
  })
    .index("by_ts", ["ts"])
    .index("by_request", ["deployment", "requestId"]),

  rollups: defineTable({
    deployment: v.string(),
    granularity,
    bucket: v.number(),
    functionPath: v.string(),
    functionType: v.string(),
    ...rollupTotalsFields,
  })
    .index("by_scope", ["deployment", "granularity", "functionPath", "bucket"])
    .index("by_bucket", ["deployment", "granularity", "bucket"]),

  /**
   * Each function's totals over the last 15 minutes … 7 days (model/windows.ts): a per-function
   * table over a page range reads one row per function, not one per function per bucket.
   */
  functionWindows: defineTable({
    deployment: v.string(),
    window: v.string(),
    functionPath: v.string(),
    functionType: v.string(),
    ...rollupTotalsFields,
  }).index("by_window", ["deployment", "window", "functionPath"]),

  /** Where each window starts: executions older are not added, buckets older were subtracted. */
  functionWindowStarts: defineTable({
    deployment: v.string(),
    window: v.string(),
    start: v.number(),
  }).index("by_window", ["deployment", "window"]),

  /** Calls over a slow threshold, from execution times and from instrumented slow-query lines. */
  slowCalls: defineTable({
    deployment: v.string(),
    ts: v.number(),
    requestId: v.string(),
    functionPath: v.string(),
    functionType: v.string(),
    status: v.union(v.literal("success"), v.literal("failure"), v.literal("unknown")),
    durationMs: v.number(),
    dbCalls: nullableNumber,
    docsScanned: nullableNumber,
    readDocuments: nullableNumber,
    correlationId: nullableString,
  })
    .index("by_ts", ["ts"])
    .index("by_deployment_ts", ["deployment", "ts"])
    .index("by_request", ["deployment", "requestId"])
    /** A function page's slow calls. */
    .index("by_function_ts", ["deployment", "functionPath", "ts"]),

  /** Slow-query lines whose execution event has not arrived yet; deleted when it does. */
  slowLinesAwaitingExecution: defineTable({
    deployment: v.string(),
    requestId: v.string(),
    slowCallId: v.id("slowCalls"),
    ts: v.number(),
  })
    .index("by_request", ["deployment", "requestId"])
    .index("by_ts", ["ts"]),

  /** Failures grouped by (function, code, normalised message), like Sentry issues. */
  errorGroups: defineTable({
    deployment: v.string(),
    key: v.string(),
    functionPath: v.string(),
    code: v.string(),
    message: v.string(),
    sampleMessage: v.string(),
    count: v.number(),
    firstSeen: v.number(),
    lastSeen: v.number(),
    lastRequestId: v.string(),
  })
    .index("by_key", ["deployment", "key"])
    .index("by_deployment_last_seen", ["deployment", "lastSeen"])
    /** A function page's newest error groups, and the groups a deploy brought. */
    .index("by_function_last_seen", ["deployment", "functionPath", "lastSeen"])
    .index("by_deployment_first_seen", ["deployment", "firstSeen"]),

  /**
   * Each error group's failures per minute and per hour, so a list for any time range counts only
   * that range. Written once per group and bucket per batch; read by bucket range, or by code.
   */
  errorGroupBuckets: defineTable({
    deployment: v.string(),
    granularity,
    bucket: v.number(),
    groupKey: v.string(),
    functionPath: v.string(),
    code: v.string(),
    count: v.number(),
    firstSeen: v.number(),
    lastSeen: v.number(),
    lastRequestId: v.string(),
  })
    .index("by_group", ["deployment", "groupKey", "granularity", "bucket"])
    .index("by_bucket", ["deployment", "granularity", "bucket"])
    .index("by_code", ["deployment", "granularity", "code", "bucket"]),

  /** Scheduler lag, concurrency and storage usage, one row per metric per minute. */
  gauges: defineTable({
    deployment: v.string(),
    metric: v.string(),
    bucket: v.number(),
    value: v.number(),
    max: v.number(),
  })
    .index("by_metric", ["deployment", "metric", "bucket"])
    .index("by_bucket", ["bucket"]),

  /** Storage API egress (storage_api_bandwidth) per deployment per UTC day, for usage. */
  storageBandwidth: defineTable({
    deployment: v.string(),
    day: v.number(),
    egressBytes: v.number(),
    downloads: v.number(),
  })
    .index("by_deployment_day", ["deployment", "day"])
    .index("by_day", ["day"]),

  /** The watched deployment's own audit_log events; deploys (`push_config`) mark the charts. */
  /**
   * Write conflicts per function, hour, table and document (from `occ_info`): the function page's
   * hot tables and documents. Kept as long as hour rollups.
   */
  occConflicts: defineTable({
    deployment: v.string(),
    functionPath: v.string(),
    bucket: v.number(),
    table: v.string(),
    documentId: v.string(),
    retries: v.number(),
    failures: v.number(),
  })
    .index("by_function", ["deployment", "functionPath", "bucket", "table", "documentId"])
    .index("by_bucket", ["bucket"]),

  deploymentAuditLog: defineTable({
    deployment: v.string(),
    ts: v.number(),
    action: v.string(),
    metadata: v.string(),
  })
    .index("by_deployment_action_ts", ["deployment", "action", "ts"])
    .index("by_ts", ["ts"]),
};
