/**
 * What other domains call in logs: the log-stream ingest stores each batch's rows here, the
 * metrics retention sweep expires them with the raw rows, and the alert rules made from a search
 * count its matches. Logs imports no other domain, so each can depend on it without a cycle.
 */
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { deleteRange } from "../lib/sweep";
import { upsertByIndex } from "../lib/upsert";
import { planQuery } from "./model/plan";
import { parseQuery, type QueryNode } from "./model/query";
import { DEPLOY_ACTION, logRowOf, MINUTE_MS, type LogInput } from "./model/rows";
import { scan, searchByTime, type PageState } from "./scan";

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

/** One bounded count: `complete` is false when the budget ran out before the window was walked. */
export type MatchCount = { count: number; scanned: number; complete: boolean };

/**
 * Counts `deployment`'s stored rows in [from, to] that match `query` (relative times resolved at
 * `to`), through the same index plans as the Logs page, reading at most `budget` documents.
 * Throws the parser's QueryError for a query the language no longer accepts.
 */
export async function countMatches(
  ctx: QueryCtx,
  args: { query: string; deployment: string; from: number; to: number; budget: number },
): Promise<MatchCount> {
  const term = (field: "timestamp", op: ">=" | "<=", value: number): QueryNode => ({
    kind: "field",
    column: 0,
    field,
    op,
    value,
  });
  const tree: QueryNode = {
    kind: "and",
    items: [
      parseQuery(args.query, args.to),
      { kind: "field", column: 0, field: "deployment", op: "=", value: args.deployment },
      term("timestamp", ">=", args.from),
      term("timestamp", "<=", args.to),
    ],
  };
  const plan = planQuery(tree);
  const lo = Math.max(plan.from ?? args.from, args.from);
  const hi = Math.min(plan.to ?? args.to, args.to);
  if (lo > hi || args.budget <= 0) return { count: 0, scanned: 0, complete: lo > hi };
  const state: PageState = {
    rows: [],
    scanned: 0,
    last: null,
    pageSize: Number.POSITIVE_INFINITY,
    budget: args.budget,
  };
  const stop =
    plan.source.index === "search"
      ? await searchByTime(ctx, plan.source, lo, hi, { position: null }, tree, state)
      : await scan(ctx, plan.source, lo, hi, null, tree, state);
  return { count: state.rows.length, scanned: state.scanned, complete: stop !== "budget" };
}
