/**
 * Error groups counted per time bucket. The group document holds all-time facts (message, first
 * sighting); these rows hold how often each group failed in each minute and hour, so a list for
 * "the last hour" counts the last hour, and agrees with the error chart built from the same buckets.
 * Ingest writes each (group, bucket) row once per batch; reads are bounded index ranges.
 */
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { appError } from "../lib/errors";
import { deleteRange } from "../lib/sweep";
import { upsertByIndex } from "../lib/upsert";
import type { ExecutionRecord } from "./model/logEvents";
import { GRANULARITIES } from "./model/rollups";
import { bucketStart, granularityForRange, type Granularity } from "./model/timeBuckets";

/** Bucket rows one list reads: groups × buckets in the range, far below Convex's scan limit. */
const MAX_GROUP_BUCKET_ROWS = 4000;
const MAX_ERROR_GROUPS = 200;
const MAX_GROUP_CALLS = 50;

/** Which group a failure belongs to: its function, its code and its normalised message. */
export function errorGroupOf(record: ExecutionRecord): { key: string; code: string; message: string } {
  const code = record.errorCode ?? "INTERNAL";
  const message = record.normalizedError ?? "(no message)";
  return { key: `${record.functionPath}|${code}|${message}`, code, message };
}

type BucketDelta = Omit<Doc<"errorGroupBuckets">, "_id" | "_creationTime">;

/** A batch's failures folded into one delta per (group, granularity, bucket). */
function errorGroupBucketDeltas(records: ExecutionRecord[]): BucketDelta[] {
  const deltas = new Map<string, BucketDelta>();
  for (const record of records) {
    if (record.status !== "failure") continue;
    const { key, code } = errorGroupOf(record);
    for (const granularity of GRANULARITIES) {
      const bucket = bucketStart(record.ts, granularity);
      const id = `${record.deployment}\u0000${key}\u0000${granularity}\u0000${bucket}`;
      const current = deltas.get(id);
      if (current === undefined) {
        deltas.set(id, {
          deployment: record.deployment,
          granularity,
          bucket,
          groupKey: key,
          functionPath: record.functionPath,
          code,
          count: 1,
          firstSeen: record.ts,
          lastSeen: record.ts,
          lastRequestId: record.requestId,
        });
      } else {
        deltas.set(
          id,
          mergeBucket(current, {
            ...current,
            count: 1,
            firstSeen: record.ts,
            lastSeen: record.ts,
            lastRequestId: record.requestId,
          }),
        );
      }
    }
  }
  return [...deltas.values()];
}

type BucketCounts = Pick<BucketDelta, "count" | "firstSeen" | "lastSeen" | "lastRequestId">;

function mergeBucket<T extends BucketCounts>(a: T, b: BucketCounts): T {
  return {
    ...a,
    count: a.count + b.count,
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    lastRequestId: b.lastSeen >= a.lastSeen ? b.lastRequestId : a.lastRequestId,
  };
}

/** Adds a batch's failures to their groups' minute and hour buckets. */
export async function recordErrorGroupBuckets(ctx: MutationCtx, records: ExecutionRecord[]): Promise<void> {
  for (const delta of errorGroupBucketDeltas(records)) {
    await upsertByIndex(
      ctx,
      "errorGroupBuckets",
      (q) =>
        q.withIndex("by_group", (r) =>
          r
            .eq("deployment", delta.deployment)
            .eq("groupKey", delta.groupKey)
            .eq("granularity", delta.granularity)
            .eq("bucket", delta.bucket),
        ),
      {
        insert: delta,
        patch: (existing) => {
          const { count, firstSeen, lastSeen, lastRequestId } = mergeBucket(existing, delta);
          return { count, firstSeen, lastSeen, lastRequestId };
        },
      },
    );
  }
}

/** Deletes up to `limit` bucket rows of one granularity older than `cutoff`; returns how many. */
export async function deleteErrorGroupBucketsOlderThan(
  ctx: MutationCtx,
  deployment: string,
  granularity: Granularity,
  cutoff: number,
  limit: number,
): Promise<number> {
  return await deleteRange(
    ctx,
    "errorGroupBuckets",
    (q) =>
      q.withIndex("by_bucket", (r) =>
        r.eq("deployment", deployment).eq("granularity", granularity).lt("bucket", cutoff),
      ),
    limit,
  );
}

type ErrorGroupInRange = {
  groupId: Id<"errorGroups">;
  functionPath: string;
  code: string;
  message: string;
  sampleMessage: string;
  /** Failures in the range. */
  count: number;
  /** First and last failure in the range. */
  firstSeen: number;
  lastSeen: number;
  /** The newest failing request in the range, whose timeline the page can open. */
  lastRequestId: string;
  /** When the group first failed at all, whatever the range. */
  firstSeenEver: number;
};

/**
 * Groups that failed in [from, to), newest failure first, with counts for that range. The range
 * is read in the same buckets the error chart uses, so the two agree. A code filter walks that
 * code's index range; `truncated` says the range held more than one read may take.
 */
export async function errorGroupsInRange(
  ctx: QueryCtx,
  { deployment, from, to, code }: { deployment: string; from: number; to: number; code?: string },
): Promise<{ granularity: Granularity; truncated: boolean; groups: ErrorGroupInRange[] }> {
  const granularity = granularityForRange(to - from);
  const start = bucketStart(from, granularity);
  const rows = await (
    code === undefined
      ? ctx.db
          .query("errorGroupBuckets")
          .withIndex("by_bucket", (q) =>
            q
              .eq("deployment", deployment)
              .eq("granularity", granularity)
              .gte("bucket", start)
              .lt("bucket", to),
          )
      : ctx.db
          .query("errorGroupBuckets")
          .withIndex("by_code", (q) =>
            q
              .eq("deployment", deployment)
              .eq("granularity", granularity)
              .eq("code", code)
              .gte("bucket", start)
              .lt("bucket", to),
          )
  )
    .order("desc")
    .take(MAX_GROUP_BUCKET_ROWS + 1);

  const byGroup = new Map<string, Doc<"errorGroupBuckets">>();
  for (const row of rows.slice(0, MAX_GROUP_BUCKET_ROWS)) {
    const current = byGroup.get(row.groupKey);
    byGroup.set(row.groupKey, current === undefined ? row : mergeBucket(current, row));
  }
  const newestFirst = [...byGroup.values()].sort((a, b) => b.lastSeen - a.lastSeen);
  const groups: ErrorGroupInRange[] = [];
  for (const counts of newestFirst.slice(0, MAX_ERROR_GROUPS)) {
    const group = await ctx.db
      .query("errorGroups")
      .withIndex("by_key", (q) => q.eq("deployment", deployment).eq("key", counts.groupKey))
      .unique();
    if (group === null) continue;
    groups.push({
      groupId: group._id,
      functionPath: group.functionPath,
      code: group.code,
      message: group.message,
      sampleMessage: group.sampleMessage,
      count: counts.count,
      firstSeen: counts.firstSeen,
      lastSeen: counts.lastSeen,
      lastRequestId: counts.lastRequestId,
      firstSeenEver: group.firstSeen,
    });
  }
  return {
    granularity,
    truncated: rows.length > MAX_GROUP_BUCKET_ROWS || newestFirst.length > MAX_ERROR_GROUPS,
    groups,
  };
}

/** One group's failing calls in [from, to), newest first, from the raw executions kept for timelines. */
export async function errorGroupCallsInRange(
  ctx: QueryCtx,
  { deployment, group, from, to }: { deployment: string; group: string; from: number; to: number },
) {
  const groupId = ctx.db.normalizeId("errorGroups", group);
  const found = groupId === null ? null : await ctx.db.get("errorGroups", groupId);
  if (found === null || found.deployment !== deployment) {
    throw appError("NOT_FOUND", "This error group no longer exists on this deployment.");
  }
  const rows = await ctx.db
    .query("executions")
    .withIndex("by_error_group", (q) =>
      q
        .eq("deployment", deployment)
        .eq("functionPath", found.functionPath)
        .eq("errorCode", found.code)
        .eq("normalizedError", found.message)
        .gte("ts", from)
        .lt("ts", to),
    )
    .order("desc")
    .take(MAX_GROUP_CALLS + 1);
  return {
    group: {
      groupId: found._id,
      functionPath: found.functionPath,
      code: found.code,
      message: found.message,
    },
    truncated: rows.length > MAX_GROUP_CALLS,
    calls: rows.slice(0, MAX_GROUP_CALLS).map((row) => ({
      requestId: row.requestId,
      ts: row.ts,
      functionType: row.functionType,
      durationMs: row.durationMs,
      errorMessage: row.errorMessage,
    })),
  };
}
