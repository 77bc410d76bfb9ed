/**
 * What other domains call in logs: the log-stream ingest stores each batch's rows here, and the
 * metrics retention sweep expires them with the raw rows. Logs imports no other domain, so the
 * ingest can depend on it without a cycle.
 */
import type { MutationCtx } from "../_generated/server";
import { deleteRange } from "../lib/sweep";
import { upsertByIndex } from "../lib/upsert";
import { DEPLOY_ACTION, logRowOf, MINUTE_MS, type LogInput } from "./model/rows";

export type { LogInput } from "./model/rows";
export { DEPLOY_ACTION } from "./model/rows";

/**
 * Stores one batch's executions, console lines and deploys as log rows, and counts each
 * deployment's received events per minute (every topic: a quiet app still streams stats).
 */
export async function recordLogEvents(
  ctx: MutationCtx,
  inputs: LogInput[],
  received: Array<{ deployment: string; ts: number }>,
): Promise<void> {
  for (const input of inputs) {
    if (input.kind === "deploy" && input.record.action !== DEPLOY_ACTION) continue;
    await ctx.db.insert("logEvents", logRowOf(input));
  }
  const perMinute = new Map<string, { deployment: string; minute: number; events: number }>();
  for (const { deployment, ts } of received) {
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    const key = `${deployment}\u0000${minute}`;
    const entry = perMinute.get(key) ?? { deployment, minute, events: 0 };
    entry.events++;
    perMinute.set(key, entry);
  }
  for (const entry of perMinute.values()) {
    await upsertByIndex(
      ctx,
      "logStreamMinutes",
      (q) =>
        q.withIndex("by_deployment_minute", (r) =>
          r.eq("deployment", entry.deployment).eq("minute", entry.minute),
        ),
      { insert: entry, patch: (existing) => ({ events: existing.events + entry.events }) },
    );
  }
}

/** Deletes up to `chunk` rows of each logs table older than `cutoff`; returns how many. */
export async function deleteLogsOlderThan(ctx: MutationCtx, cutoff: number, chunk: number): Promise<number> {
  const rows = await deleteRange(
    ctx,
    "logEvents",
    (q) => q.withIndex("by_ts", (r) => r.lt("ts", cutoff)),
    chunk,
  );
  const minutes = await deleteRange(
    ctx,
    "logStreamMinutes",
    (q) => q.withIndex("by_minute", (r) => r.lt("minute", cutoff)),
    chunk,
  );
  return Math.max(rows, minutes);
}
