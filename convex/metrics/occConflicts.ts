/**
 * Write conflicts by function, hour, table and document, from the log stream's `occ_info`. A batch
 * adds to one row per key, so a hot document costs one write per batch, not one per attempt.
 */
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { ExecutionRecord, OccRecord } from "./model/logEvents";
import { bucketStart } from "./model/timeBuckets";

export async function recordOccConflicts(
  ctx: MutationCtx,
  conflicts: Array<{ record: ExecutionRecord; occ: OccRecord }>,
): Promise<void> {
  const sums = new Map<
    string,
    { key: [string, string, number, string, string]; retries: number; failures: number }
  >();
  for (const { record, occ } of conflicts) {
    const key: [string, string, number, string, string] = [
      record.deployment,
      record.functionPath,
      bucketStart(record.ts, "hour"),
      occ.table,
      occ.documentId,
    ];
    const id = JSON.stringify(key);
    const sum = sums.get(id) ?? { key, retries: 0, failures: 0 };
    if (occ.willRetry) sum.retries += 1;
    else sum.failures += 1;
    sums.set(id, sum);
  }
  for (const { key, retries, failures } of sums.values()) {
    const [deployment, functionPath, bucket, table, documentId] = key;
    const existing = await ctx.db
      .query("occConflicts")
      .withIndex("by_function", (q) =>
        q
          .eq("deployment", deployment)
          .eq("functionPath", functionPath)
          .eq("bucket", bucket)
          .eq("table", table)
          .eq("documentId", documentId),
      )
      .unique();
    if (existing === null) {
      await ctx.db.insert("occConflicts", {
        deployment,
        functionPath,
        bucket,
        table,
        documentId,
        retries,
        failures,
      });
    } else {
      await ctx.db.patch("occConflicts", existing._id, {
        retries: existing.retries + retries,
        failures: existing.failures + failures,
      });
    }
  }
}

/**
 * One function's conflicts over [from, to), summed by table and by document (most first), from at
 * most `limit` hour rows; `truncated` says when there were more.
 */
export async function occConflictsOfFunction(
  ctx: QueryCtx,
  args: { deployment: string; functionPath: string; from: number; to: number; limit: number },
) {
  const rows = await ctx.db
    .query("occConflicts")
    .withIndex("by_function", (q) =>
      q
        .eq("deployment", args.deployment)
        .eq("functionPath", args.functionPath)
        .gte("bucket", bucketStart(args.from, "hour"))
        .lt("bucket", args.to),
    )
    .take(args.limit + 1);
  const truncated = rows.length > args.limit;
  const byTable = new Map<string, { table: string; retries: number; failures: number }>();
  const byDocument = new Map<
    string,
    { table: string; documentId: string; retries: number; failures: number }
  >();
  for (const row of rows.slice(0, args.limit)) {
    const table = byTable.get(row.table) ?? { table: row.table, retries: 0, failures: 0 };
    byTable.set(row.table, {
      ...table,
      retries: table.retries + row.retries,
      failures: table.failures + row.failures,
    });
    const id = JSON.stringify([row.table, row.documentId]);
    const document = byDocument.get(id) ?? {
      table: row.table,
      documentId: row.documentId,
      retries: 0,
      failures: 0,
    };
    byDocument.set(id, {
      ...document,
      retries: document.retries + row.retries,
      failures: document.failures + row.failures,
    });
  }
  const most = <T extends { retries: number; failures: number }>(values: Iterable<T>) =>
    [...values].sort((a, b) => b.retries + b.failures - (a.retries + a.failures));
  return { byTable: most(byTable.values()), byDocument: most(byDocument.values()).slice(0, 10), truncated };
}

/** Hour rows older than `cutoff`, at most `limit` a run. */
export async function deleteOccConflictsOlderThan(ctx: MutationCtx, cutoff: number, limit: number) {
  const rows = await ctx.db
    .query("occConflicts")
    .withIndex("by_bucket", (q) => q.lt("bucket", cutoff))
    .take(limit);
  for (const row of rows) await ctx.db.delete("occConflicts", row._id);
  return rows.length;
}
