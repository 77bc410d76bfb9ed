import { defineTable } from "convex/server";
import { v } from "convex/values";

export const alertStateValidator = v.union(
  v.literal("normal"),
  v.literal("pending"),
  v.literal("firing"),
  v.literal("recovering"),
  v.literal("nodata"),
  v.literal("error"),
);

export const severityValidator = v.union(v.literal("warning"), v.literal("critical"));

export const signalValidator = v.union(
  v.literal("error_rate"),
  v.literal("p95_ms"),
  v.literal("occ_share"),
  v.literal("slow_calls"),
  v.literal("scheduler_lag_s"),
  v.literal("stream_silent_min"),
  v.literal("usage_share"),
  v.literal("backup_age_share"),
  v.literal("backup_failures"),
  v.literal("function_p95_ms"),
  v.literal("function_error_rate"),
  v.literal("deploy_regression"),
  v.literal("log_matches"),
);

export const unitValidator = v.union(
  v.literal("ms"),
  v.literal("ratio"),
  v.literal("minutes"),
  v.literal("hours"),
  v.literal("count"),
  v.literal("seconds"),
);

export const matchersValidator = v.object({
  rule: v.optional(v.string()),
  deployment: v.optional(v.string()),
  function: v.optional(v.string()),
  severity: v.optional(severityValidator),
});

const noticeValidator = v.object({
  status: v.union(v.literal("firing"), v.literal("resolved")),
  labels: v.record(v.string(), v.string()),
  annotations: v.record(v.string(), v.string()),
  startsAt: v.number(),
  endsAt: v.union(v.number(), v.null()),
  fingerprint: v.string(),
  generatorURL: v.string(),
});

const nullableString = v.union(v.string(), v.null());

/** Rules, their instances and history, silences, channels and the delivery outbox (DESIGN §15). */
export const alertTables = {
  /** One row per rule; seeded from the built-in list, edited by admins. `version` restarts instances. */
  alertRules: defineTable({
    key: v.string(),
    name: v.string(),
    signal: signalValidator,
    scope: v.union(v.literal("deployment"), v.literal("function"), v.literal("console")),
    unit: unitValidator,
    threshold: v.number(),
    recoveryThreshold: v.number(),
    pendingMs: v.number(),
    keepFiringMs: v.number(),
    severity: severityValidator,
    runbook: v.union(v.object({ template: v.string(), item: v.string() }), v.null()),
    summary: v.string(),
    enabled: v.boolean(),
    version: v.number(),
    updatedAt: v.number(),
    updatedBy: v.string(),
    /** A rule made from a Logs search: the query it counts and over how long; it links back to Logs. */
    search: v.optional(v.object({ query: v.string(), windowMs: v.number() })),
  }).index("by_key", ["key"]),

  /** One row per rule × deployment (× function) that has been evaluated out of Normal at least once. */
  alertInstances: defineTable({
    ruleKey: v.string(),
    ruleVersion: v.number(),
    instanceKey: v.string(),
    deployment: v.string(),
    functionPath: nullableString,
    state: alertStateValidator,
    since: v.number(),
    firingSince: v.union(v.number(), v.null()),
    lastValue: v.union(v.number(), v.null()),
    reason: v.string(),
    severity: severityValidator,
    acknowledged: v.union(v.object({ by: v.string(), at: v.number(), note: v.string() }), v.null()),
    /** When channels were last told it fires (null: never, e.g. silenced); repeats count from here. */
    lastNotifiedAt: v.union(v.number(), v.null()),
    repeats: v.number(),
    /** The silence that held back its notification, so its end can be announced. */
    silencedBy: v.union(v.object({ createdBy: v.string(), endsAt: v.number() }), v.null()),
    updatedAt: v.number(),
  })
    .index("by_rule_instance", ["ruleKey", "instanceKey"])
    .index("by_rule_deployment", ["ruleKey", "deployment"])
    .index("by_state", ["state", "since"]),

  /** Every transition with its reason: the history. */
  alertEvents: defineTable({
    ruleKey: v.string(),
    ruleName: v.string(),
    instanceKey: v.string(),
    deployment: v.string(),
    functionPath: nullableString,
    severity: severityValidator,
    from: alertStateValidator,
    to: alertStateValidator,
    reason: v.string(),
    value: v.union(v.number(), v.null()),
    at: v.number(),
  })
    .index("by_at", ["at"])
    .index("by_instance", ["ruleKey", "instanceKey", "at"]),

  alertSilences: defineTable({
    matchers: matchersValidator,
    startsAt: v.number(),
    endsAt: v.number(),
    comment: v.string(),
    createdBy: v.string(),
    createdAt: v.number(),
  }).index("by_ends", ["endsAt"]),

  /** Notification policy (Alertmanager's group wait, group interval, repeat, group by); absent: the defaults. */
  alertPolicy: defineTable({
    groupWaitMs: v.number(),
    groupIntervalMs: v.number(),
    repeatIntervalMs: v.number(),
    /** Absent in a policy saved before grouping was editable: the default (rule, deployment). */
    groupBy: v.optional(v.array(v.string())),
    updatedAt: v.number(),
    updatedBy: v.string(),
  }),

  /**
   * Where notifications go. The URL (a Slack URL is its own token) and the webhook signing secret
   * are sealed with CONSOLE_SECRETS_KEY for this channel; only their masks are ever returned.
   */
  alertChannels: defineTable({
    name: v.string(),
    kind: v.union(v.literal("webhook"), v.literal("slack")),
    url: v.string(),
    urlMasked: v.string(),
    secret: nullableString,
    secretMasked: nullableString,
    enabled: v.boolean(),
    /** A delivery action holds the channel until then, so two never send the same row. */
    leaseUntil: v.number(),
    updatedAt: v.number(),
    updatedBy: v.string(),
  }).index("by_name", ["name"]),

  /**
   * Each channel's aggregation groups (Alertmanager's aggrGroup): when the group last flushed (the
   * group interval counts from it) and the alerts it was last told firing, which every later
   * message of the group carries again.
   */
  alertGroups: defineTable({
    channelId: v.id("alertChannels"),
    groupKey: v.string(),
    lastSentAt: v.number(),
    firing: v.optional(v.array(noticeValidator)),
  }).index("by_channel_group", ["channelId", "groupKey"]),

  /** One row per notification per channel, written in the transition's transaction; sent in creation order. */
  alertOutbox: defineTable({
    channelId: v.id("alertChannels"),
    /** "failed": the receiver refused it again and again (a 4xx a retry cannot cure); never sent. */
    status: v.union(
      v.literal("pending"),
      v.literal("delivered"),
      v.literal("suppressed"),
      v.literal("failed"),
    ),
    kind: v.union(v.literal("alert"), v.literal("test")),
    dedupeKey: v.string(),
    groupKey: v.string(),
    groupLabels: v.optional(v.record(v.string(), v.string())),
    notice: noticeValidator,
    dueAt: v.number(),
    attempts: v.number(),
    nextAttemptAt: v.number(),
    deliveredAt: v.union(v.number(), v.null()),
    /** Why it was held back (a silence); null when it was or will be sent. */
    note: nullableString,
    /** The id of the group message it went out in, fixed at the flush so every retry carries the same. */
    messageKey: v.optional(v.string()),
    createdAt: v.number(),
  })
    .index("by_channel_status", ["channelId", "status"])
    .index("by_channel_group_status", ["channelId", "groupKey", "status"])
    .index("by_created", ["createdAt"]),

  /** The delivery log: one row per attempt with its HTTP status and a sentence (never a response body). */
  alertAttempts: defineTable({
    outboxId: v.id("alertOutbox"),
    channelId: v.id("alertChannels"),
    channelName: v.string(),
    dedupeKey: v.string(),
    summary: v.string(),
    httpStatus: v.union(v.number(), v.null()),
    ok: v.boolean(),
    sentence: v.string(),
    at: v.number(),
  }).index("by_at", ["at"]),
};
