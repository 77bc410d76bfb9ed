/**
 * How many rows the import's target tables hold on the deployment, read with Convex's own system
 * query `_system/cli/tableSize` (what `npx convex data` uses), so it works for the console's own
 * deployment and any connected one alike. Read after the preview (requireEmpty is refused by Convex
 * for a table with rows) and after an append stopped mid-way (what the table holds now).
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { pollDelayMs } from "../backups/read";
import { deploymentClient } from "../deployment/read";
import { internalAction, internalMutation } from "../lib/functions";
import { sentenceOf } from "../lib/errors";

/** Counting retries while the deployment does not answer (e.g. it is restarting), about a minute. */
const COUNT_ATTEMPTS = 8;
const COUNTED_TABLES = 20;

/** The tables an import writes: its target, or the app tables a ZIP holds (not components' or system ones). */
export function tablesOf(row: Pick<Doc<"imports">, "targetTable" | "preview">): string[] {
  if (row.targetTable !== null) return [row.targetTable];
  return (row.preview?.tables ?? [])
    .map((entry) => entry.table)
    .filter((table) => !table.includes("/") && !table.startsWith("_"))
    .slice(0, COUNTED_TABLES);
}

export const record = internalMutation({
  args: {
    importId: v.id("imports"),
    counts: v.array(v.object({ table: v.string(), rows: v.number() })),
    problem: v.union(v.string(), v.null()),
  },
  handler: async (ctx, { importId, counts, problem }) => {
    if ((await ctx.db.get("imports", importId)) === null) return;
    await ctx.db.patch("imports", importId, { tableRows: { at: Date.now(), counts, problem } });
  },
});

export const count = internalAction({
  args: { importId: v.id("imports"), attempt: v.number() },
  handler: async (ctx, { importId, attempt }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.imports.flow.load, { importId });
    if (loaded === null) return;
    const tables = tablesOf(loaded.row);
    if (tables.length === 0) return;
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null) {
      await ctx.runMutation(internal.imports.tableRows.record, {
        importId,
        counts: [],
        problem: "No deployment is connected any more.",
      });
      return;
    }
    const client = deploymentClient(connection);
    try {
      const counts = [];
      for (const table of tables) counts.push({ table, rows: await client.tableSize(table) });
      await ctx.runMutation(internal.imports.tableRows.record, { importId, counts, problem: null });
    } catch (error) {
      await ctx.runMutation(internal.imports.tableRows.record, {
        importId,
        counts: [],
        problem: sentenceOf(error),
      });
      if (attempt + 1 < COUNT_ATTEMPTS) {
        await ctx.scheduler.runAfter(pollDelayMs(attempt + 3), internal.imports.tableRows.count, {
          importId,
          attempt: attempt + 1,
        });
      }
    }
  },
});
