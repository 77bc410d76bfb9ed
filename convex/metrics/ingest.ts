import { v } from "convex/values";
import type { MutationCtx } from "../_generated/server";
import { internal } from "../_generated/api";
import { internalMutation } from "../lib/functions";
import { upsertByIndex } from "../lib/upsert";
import {
  deploymentOf,
  normalizeEvent,
  type BandwidthRecord,
  type ConsoleRecord,
  type Deployment,
  type ExecutionRecord,
  type GaugeRecord,
  type OccRecord,
} from "./model/logEvents";
import type { RawLogEvent } from "../lib/logEvent";
import { mergeTotals, rollupDeltas } from "./model/rollups";
import { isSlow } from "../lib/slowQuery";
import { bucketStart, HOUR_MS } from "./model/timeBuckets";
import { DEFAULT_METRIC_SETTINGS, loadMetricSettings, type MetricSettings } from "../settings/read";
import { errorGroupOf, recordErrorGroupBuckets } from "./errorGroupBuckets";
import { recordUsage } from "../usage/read";
import { recordLogEvents, type LogInput } from "../logs/read";
import { addToFunctionWindows } from "./functionWindows";
import { DEPLOY_ACTION } from "./deploys";
import { recordOccConflicts } from "./occConflicts";

type IngestSummary = {
  accepted: number;
  duplicates: number;
  replaysRejected: number;
  unknownTopics: number;
};

/** Events from later than this are as suspect as replays: the clocks disagree by too much. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

type DeploymentCounters = IngestSummary & {
  deployment: Deployment;
  /** Null until one of this batch's events from the deployment is accepted. */
  firstEventAt: number | null;
  lastEventAt: number | null;
  verifiedAt: number | null;
};

async function touchDeployments(ctx: MutationCtx, counters: Map<string, DeploymentCounters>): Promise<void> {
  for (const entry of counters.values()) {
    const existing = await ctx.db
      .query("watchedDeployments")
      .withIndex("by_name", (q) => q.eq("name", entry.deployment.name))
      .unique();
    if (existing === null) {
      // A deployment is listed from its first accepted event: with none, there is no first-event
      // time to show (the batch's rejections are still reported in the webhook's response).
      if (entry.firstEventAt === null || entry.lastEventAt === null) continue;
      await ctx.db.insert("watchedDeployments", {
        name: entry.deployment.name,
        type: entry.deployment.type,
        projectSlug: entry.deployment.projectSlug,
        firstEventAt: entry.firstEventAt,
        lastEventAt: entry.lastEventAt,
        lastVerificationAt: entry.verifiedAt,
        eventsAccepted: entry.accepted,
        duplicates: entry.duplicates,
        replaysRejected: entry.replaysRejected,
        unknownTopics: entry.unknownTopics,
      });
    } else {
      await ctx.db.patch("watchedDeployments", existing._id, {
        type: entry.deployment.type,
        // Demo history and late retries can arrive older than what is stored already.
        firstEventAt: Math.min(existing.firstEventAt, entry.firstEventAt ?? existing.firstEventAt),
        lastEventAt: Math.max(existing.lastEventAt, entry.lastEventAt ?? existing.lastEventAt),
        lastVerificationAt: entry.verifiedAt ?? existing.lastVerificationAt,
        eventsAccepted: existing.eventsAccepted + entry.accepted,
        duplicates: existing.duplicates + entry.duplicates,
        replaysRejected: existing.replaysRejected + entry.replaysRejected,
        unknownTopics: existing.unknownTopics + entry.unknownTopics,
      });
    }
  }
}

async function writeRollups(
  ctx: MutationCtx,
  executions: ExecutionRecord[],
  settings: MetricSettings,
  receivedAt: number,
): Promise<void> {
  const deltas = rollupDeltas(executions, settings.slow);
  for (const { scope, totals } of deltas) {
    await upsertByIndex(
      ctx,
      "rollups",
      (q) =>
        q.withIndex("by_scope", (r) =>
          r
            .eq("deployment", scope.deployment)
            .eq("granularity", scope.granularity)
            .eq("functionPath", scope.functionPath)
            .eq("bucket", scope.bucket),
        ),
      { insert: { ...scope, ...totals }, patch: (existing) => mergeTotals(existing, totals) },
    );
  }
  for (const deployment of new Set(deltas.map(({ scope }) => scope.deployment))) {
    const own = deltas.filter(({ scope }) => scope.deployment === deployment);
    await addToFunctionWindows(
      ctx,
      deployment,
      own.map(({ scope, totals }) => ({ ...scope, totals })),
      receivedAt,
    );
  }
}

async function recordErrorGroup(ctx: MutationCtx, record: ExecutionRecord): Promise<void> {
  const { key, code, message } = errorGroupOf(record);
  await upsertByIndex(
    ctx,
    "errorGroups",
    (q) => q.withIndex("by_key", (r) => r.eq("deployment", record.deployment).eq("key", key)),
    {
      insert: {
        deployment: record.deployment,
        key,
        functionPath: record.functionPath,
        code,
        message,
        sampleMessage: record.errorMessage ?? "",
        count: 1,
        firstSeen: record.ts,
        lastSeen: record.ts,
        lastRequestId: record.requestId,
      },
      patch: (existing) => ({
        count: existing.count + 1,
        firstSeen: Math.min(existing.firstSeen, record.ts),
        lastSeen: Math.max(existing.lastSeen, record.ts),
        ...(record.ts >= existing.lastSeen
          ? { lastRequestId: record.requestId, sampleMessage: record.errorMessage ?? "" }
          : {}),
      }),
    },
  );
}

/**
 * An execution over the duration or documents threshold is a slow call. One a slow-query line
 * named before it arrived completes that line's row; the awaiting table holds only such lines,
 * so the per-execution lookup stays a read of a near-empty index.
 */
async function recordSlowExecution(
  ctx: MutationCtx,
  record: ExecutionRecord,
  settings: MetricSettings,
): Promise<void> {
  const awaiting =
    record.requestId === ""
      ? null
      : await ctx.db
          .query("slowLinesAwaitingExecution")
          .withIndex("by_request", (q) =>
            q.eq("deployment", record.deployment).eq("requestId", record.requestId),
          )
          .first();
  const executionFields = {
    ts: record.ts,
    functionPath: record.functionPath,
    functionType: record.functionType,
    status: record.status,
    durationMs: record.durationMs,
    readDocuments: record.readDocuments,
  };
  if (awaiting !== null) {
    await ctx.db.patch("slowCalls", awaiting.slowCallId, executionFields);
    await ctx.db.delete("slowLinesAwaitingExecution", awaiting._id);
    return;
  }
  if (
    !isSlow({ durationMs: record.durationMs, dbCalls: 0, docsScanned: record.readDocuments }, settings.slow)
  ) {
    return;
  }
  await ctx.db.insert("slowCalls", {
    deployment: record.deployment,
    requestId: record.requestId,
    ...executionFields,
    dbCalls: null,
    docsScanned: null,
    correlationId: null,
  });
}

/** A slow-query line joins its execution by request id, whichever of the two arrives first. */
async function recordSlowQueryLine(ctx: MutationCtx, record: ConsoleRecord): Promise<void> {
  const line = record.slowQuery;
  if (line === null) return;
  const requestId = record.requestId ?? line.correlationId;
  const measured = {
    dbCalls: line.dbCalls,
    docsScanned: line.docsScanned,
    correlationId: line.correlationId,
  };
  const existing = await ctx.db
    .query("slowCalls")
    .withIndex("by_request", (q) => q.eq("deployment", record.deployment).eq("requestId", requestId))
    .first();
  if (existing !== null) {
    await ctx.db.patch("slowCalls", existing._id, measured);
    return;
  }
  const execution = await ctx.db
    .query("executions")
    .withIndex("by_request", (q) => q.eq("deployment", record.deployment).eq("requestId", requestId))
    .first();
  const slowCallId = await ctx.db.insert("slowCalls", {
    deployment: record.deployment,
    ts: execution?.ts ?? record.ts,
    requestId,
    functionPath: execution?.functionPath ?? record.functionPath ?? line.functionName,
    functionType: execution?.functionType ?? "unknown",
    status: execution?.status ?? "unknown",
    durationMs: execution?.durationMs ?? line.durationMs,
    readDocuments: execution?.readDocuments ?? null,
    ...measured,
  });
  if (execution === null) {
    await ctx.db.insert("slowLinesAwaitingExecution", {
      deployment: record.deployment,
      requestId,
      slowCallId,
      ts: record.ts,
    });
  }
}

async function recordGauges(ctx: MutationCtx, gauges: GaugeRecord[]): Promise<void> {
  for (const gauge of gauges) {
    const bucket = bucketStart(gauge.ts, "minute");
    await upsertByIndex(
      ctx,
      "gauges",
      (q) =>
        q.withIndex("by_metric", (r) =>
          r.eq("deployment", gauge.deployment).eq("metric", gauge.metric).eq("bucket", bucket),
        ),
      {
        insert: {
          deployment: gauge.deployment,
          metric: gauge.metric,
          bucket,
          value: gauge.value,
          max: gauge.value,
        },
        patch: (existing) => ({ value: gauge.value, max: Math.max(existing.max, gauge.value) }),
      },
    );
  }
}

const DAY_MS = 24 * HOUR_MS;

/** Egress per deployment per UTC day: one row a day however many downloads. */
async function recordBandwidth(ctx: MutationCtx, record: BandwidthRecord): Promise<void> {
  const day = Math.floor(record.ts / DAY_MS) * DAY_MS;
  await upsertByIndex(
    ctx,
    "storageBandwidth",
    (q) => q.withIndex("by_deployment_day", (r) => r.eq("deployment", record.deployment).eq("day", day)),
    {
      insert: { deployment: record.deployment, day, egressBytes: record.egressBytes, downloads: 1 },
      patch: (existing) => ({
        egressBytes: existing.egressBytes + record.egressBytes,
        downloads: existing.downloads + 1,
      }),
    },
  );
}

type Batch = {
  /** SHA-256 of the raw body: Convex retries resend the same body, so a digest seen before is a retry. */
  digest: string;
  events: RawLogEvent[];
};

function emptyCounters(deployment: Deployment): DeploymentCounters {
  return {
    deployment,
    accepted: 0,
    duplicates: 0,
    replaysRejected: 0,
    unknownTopics: 0,
    firstEventAt: null,
    lastEventAt: null,
    verifiedAt: null,
  };
}

/**
 * Stores one webhook batch (≤ 128 events) in one transaction: raw rows, rollups patched once per
 * scope, slow calls, error groups, gauges and the per-deployment stream status. A retried batch
 * is counted as duplicates and stores nothing else.
 */
export async function ingestEvents(
  ctx: MutationCtx,
  batch: Batch,
  receivedAt: number,
  settings: MetricSettings = DEFAULT_METRIC_SETTINGS,
): Promise<IngestSummary> {
  const summary: IngestSummary = { accepted: 0, duplicates: 0, replaysRejected: 0, unknownTopics: 0 };
  const counters = new Map<string, DeploymentCounters>();
  const counterFor = (deployment: Deployment) => {
    const entry = counters.get(deployment.name) ?? emptyCounters(deployment);
    counters.set(deployment.name, entry);
    return entry;
  };

  const retried =
    (await ctx.db
      .query("seenBatches")
      .withIndex("by_digest", (q) => q.eq("digest", batch.digest))
      .first()) !== null;
  if (retried) {
    for (const event of batch.events) counterFor(deploymentOf(event)).duplicates++;
    summary.duplicates = batch.events.length;
    await touchDeployments(ctx, counters);
    return summary;
  }
  await ctx.db.insert("seenBatches", { digest: batch.digest, ts: receivedAt });

  const executions: ExecutionRecord[] = [];
  const conflicts: Array<{ record: ExecutionRecord; occ: OccRecord }> = [];
  // Usage hook: the accepted events, metered once per batch by the usage domain.
  const acceptedEvents: RawLogEvent[] = [];
  const eventsInBatch = new Set<string>();
  // The Logs page's searchable copy, and each deployment's received minutes for its gaps.
  const logInputs: LogInput[] = [];
  const received: Array<{ deployment: string; ts: number }> = [];
  for (const event of batch.events) {
    const normalized = normalizeEvent(event);
    const entry = counterFor(normalized.deployment);

    if (
      event.timestamp < receivedAt - settings.replayWindowMs ||
      event.timestamp > receivedAt + MAX_CLOCK_SKEW_MS
    ) {
      entry.replaysRejected++;
      summary.replaysRejected++;
      continue;
    }
    const identity = JSON.stringify(event);
    if (eventsInBatch.has(identity)) {
      entry.duplicates++;
      summary.duplicates++;
      continue;
    }
    eventsInBatch.add(identity);
    acceptedEvents.push(event);
    received.push({ deployment: normalized.deployment.name, ts: event.timestamp });
    entry.accepted++;
    summary.accepted++;
    entry.firstEventAt = Math.min(entry.firstEventAt ?? event.timestamp, event.timestamp);
    entry.lastEventAt = Math.max(entry.lastEventAt ?? event.timestamp, event.timestamp);

    switch (normalized.kind) {
      case "verification":
        entry.verifiedAt = normalized.ts;
        break;
      case "execution":
        executions.push(normalized.record);
        await ctx.db.insert("executions", normalized.record);
        logInputs.push({ kind: "execution", record: normalized.record });
        if (normalized.record.status === "failure") await recordErrorGroup(ctx, normalized.record);
        if (normalized.occ !== null) conflicts.push({ record: normalized.record, occ: normalized.occ });
        await recordSlowExecution(ctx, normalized.record, settings);
        break;
      case "console": {
        const { slowQuery: _parsed, ...line } = normalized.record;
        await ctx.db.insert("consoleLines", line);
        logInputs.push({ kind: "console", record: normalized.record });
        await recordSlowQueryLine(ctx, normalized.record);
        break;
      }
      case "gauges":
        await recordGauges(ctx, normalized.records);
        break;
      case "bandwidth":
        await recordBandwidth(ctx, normalized.record);
        break;
      case "audit":
        await ctx.db.insert("deploymentAuditLog", normalized.record);
        logInputs.push({ kind: "deploy", record: normalized.record });
        if (normalized.record.action === DEPLOY_ACTION) {
          // Its verdict starts when its window closes, not at the next minute's cron.
          await ctx.scheduler.runAfter(0, internal.functions.functions.startVerdict, {
            deployment: normalized.record.deployment,
            deployTs: normalized.record.ts,
          });
        }
        break;
      case "ignored":
        entry.unknownTopics++;
        summary.unknownTopics++;
        break;
    }
  }

  await writeRollups(ctx, executions, settings, receivedAt);
  await recordErrorGroupBuckets(ctx, executions);
  await recordOccConflicts(ctx, conflicts);
  await recordUsage(ctx, acceptedEvents);
  await recordLogEvents(ctx, logInputs, received);
  await touchDeployments(ctx, counters);
  return summary;
}

export const ingestBatch = internalMutation({
  args: {
    digest: v.string(),
    events: v.array(v.any()),
    receivedAt: v.number(),
  },
  handler: async (ctx, { digest, events, receivedAt }) =>
    await ingestEvents(
      ctx,
      { digest, events: events as RawLogEvent[] },
      receivedAt,
      await loadMetricSettings(ctx),
    ),
});
