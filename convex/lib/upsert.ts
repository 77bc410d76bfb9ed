/**
 * The one "find the row this index equality names, patch it or insert it": rollups, counters and
 * settings rows keep one document per key, and concurrent writers to the same key conflict on the
 * index range read here, so Convex retries the second, which then finds the first's row.
 */
import type { NamedTableInfo, Query, QueryInitializer, WithoutSystemFields } from "convex/server";
import type { DataModel, Doc, Id, TableNames } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

type Patch<Table extends TableNames> = Partial<Doc<Table>>;

/**
 * Patches the one document `find` selects with `patch(existing)`, or inserts `insert` when there is
 * none; returns its id. `find` is an index equality: two matches throw, as `unique()` does.
 */
export async function upsertByIndex<Table extends TableNames>(
  ctx: MutationCtx,
  table: Table,
  find: (
    query: QueryInitializer<NamedTableInfo<DataModel, Table>>,
  ) => Query<NamedTableInfo<DataModel, Table>>,
  write: { insert: WithoutSystemFields<Doc<Table>>; patch: (existing: Doc<Table>) => Patch<Table> },
): Promise<Id<Table>> {
  const existing = await find(ctx.db.query(table)).unique();
  if (existing === null) return await ctx.db.insert(table, write.insert);
  await ctx.db.patch(table, existing._id as Id<Table>, write.patch(existing));
  return existing._id as Id<Table>;
}
