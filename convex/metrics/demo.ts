import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalMutation } from "../lib/functions";
import { generateTraffic } from "./model/demoTraffic";
import { DEFAULT_METRIC_SETTINGS } from "../settings/read";
import { bucketStart, HOUR_MS } from "./model/timeBuckets";
import { ingestEvents } from "./ingest";

const HISTORY_HOURS = 24;
const DEMO_EXECUTIONS_PER_MINUTE = 8;
/** Small slices keep each seeding transaction short, so a backend stays responsive meanwhile. */
const SLICE_MS = 10 * 60_000;

/**
 * Demo history for a fresh console: a day of realistic traffic from the demo deployment, written
 * newest first, ten minutes per scheduled mutation, each scheduling the next older slice when it is
 * done. So the charts of the last hour fill within seconds, only one seeding job ever waits for
 * the database (a sign-up waits for at most one slice), and each stays well inside Convex's
 * limits. Run it with `npx convex run metrics/demo:seedHistory` on a real deployment;
 * `npm start` runs it on an empty store.
 */
export const seedHistory = internalMutation({
  args: {},
  handler: async (ctx) => {
    const now = Date.now();
    const start = bucketStart(now, "hour") - HISTORY_HOURS * HOUR_MS;
    await ctx.scheduler.runAfter(0, internal.metrics.demo.seedSlice, {
      from: Math.max(start, now - SLICE_MS),
      to: now,
      historyStart: start,
    });
  },
});

/** A progress note at each whole hour of history written, e.g. "demo history: 3 of 24 hours written". */
export function seedProgressNote(from: number, to: number, historyStart: number, historyEnd: number) {
  const hoursWritten = Math.floor((historyEnd - from) / HOUR_MS);
  if (from !== historyStart && hoursWritten === Math.floor((historyEnd - to) / HOUR_MS)) return null;
  const total = Math.ceil((historyEnd - historyStart) / HOUR_MS);
  return from === historyStart
    ? `demo history: all ${total} hours written`
    : `demo history: ${hoursWritten} of ${total} hours written, older hours filling in`;
}

export const seedSlice = internalMutation({
  args: {
    from: v.number(),
    to: v.number(),
    /** Where the history starts: slices continue from here, older, until it is reached. */
    historyStart: v.optional(v.number()),
    /** End of the newest slice (defaults to `to`), for the progress note. */
    historyEnd: v.optional(v.number()),
  },
  handler: async (ctx, { from, to, historyStart, historyEnd }) => {
    if (to <= from) return;
    const events = generateTraffic({ from, to, perMinute: DEMO_EXECUTIONS_PER_MINUTE, seed: from });
    // History arrives all at once, so it is received "as it happened": the replay window spans the slice.
    await ingestEvents(ctx, { digest: `demo-history-${from}`, events }, to, {
      ...DEFAULT_METRIC_SETTINGS,
      replayWindowMs: SLICE_MS + 60_000,
    });
    if (historyStart === undefined) return;
    const end = historyEnd ?? to;
    const note = seedProgressNote(from, to, historyStart, end);
    if (note) console.log(note);
    if (from > historyStart) {
      await ctx.scheduler.runAfter(0, internal.metrics.demo.seedSlice, {
        from: Math.max(historyStart, from - SLICE_MS),
        to: from,
        historyStart,
        historyEnd: end,
      });
    }
  },
});
