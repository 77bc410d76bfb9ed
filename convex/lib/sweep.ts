/**
 * The one bounded sweep: retention deletes an index range of old documents a chunk per
 * transaction, and the sweep schedules itself again while a chunk came back full, so no
 * transaction reads or writes more than Convex allows however far behind the sweep is.
 */
import type {
  FunctionArgs,
  FunctionReference,
  NamedTableInfo,
  OptionalRestArgs,
  OrderedQuery,
  QueryInitializer,
} from "convex/server";
import type { DataModel, TableNames } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Documents one sweep deletes per range; a sweep that fills a chunk schedules the next at once. */
export const SWEEP_CHUNK = 500;

type Range<Table extends TableNames> = (
  query: QueryInitializer<NamedTableInfo<DataModel, Table>>,
) => OrderedQuery<NamedTableInfo<DataModel, Table>>;

/** Deletes the first `limit` documents of `range` (an index range of `table`); returns how many. */
export async function deleteRange<Table extends TableNames>(
  ctx: MutationCtx,
  table: Table,
  range: Range<Table>,
  limit: number = SWEEP_CHUNK,
): Promise<number> {
  const rows = await range(ctx.db.query(table)).take(limit);
  for (const row of rows) await ctx.db.delete(table, row._id);
  return rows.length;
}

/**
 * Runs each named step with the chunk size, in order, and schedules `again` at once when any step
 * filled its chunk (more may remain). Returns each step's count of deleted documents.
 */
export async function sweepInChunks<
  Step extends string,
  Again extends FunctionReference<"mutation", "internal">,
>(
  ctx: MutationCtx,
  steps: Record<Step, (limit: number) => Promise<number>>,
  again: { fn: Again; args: FunctionArgs<Again> },
  limit: number = SWEEP_CHUNK,
): Promise<Record<Step, number>> {
  const deleted = {} as Record<Step, number>;
  for (const [step, run] of Object.entries(steps) as Array<[Step, (limit: number) => Promise<number>]>) {
    deleted[step] = await run(limit);
  }
  if (Object.values<number>(deleted).some((count) => count >= limit)) {
    await ctx.scheduler.runAfter(0, again.fn, ...([again.args] as OptionalRestArgs<Again>));
  }
  return deleted;
}
