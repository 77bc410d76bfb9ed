import { v } from "convex/values";
import { internal } from "../_generated/api";
import { internalMutation } from "../lib/functions";
import { generateTraffic } from "./model/demoTraffic";
import { DEFAULT_METRIC_SETTINGS } from "../settings/model/metricSettings";
import { bucketStart, HOUR_MS } from "./model/timeBuckets";
import { ingestEvents } from "./ingest";

const HISTORY_HOURS = 24;
const DEMO_EXECUTIONS_PER_MINUTE = 8;
/** Small slices keep each seeding transaction short, so a local backend stays responsive meanwhile. */
const SLICE_MS = 10 * 60_000;

/**
 * Demo history for a fresh console: a day of realistic traffic from the demo deployment, ten
 * minutes per scheduled mutation, so each stays well inside Convex's limits. Run it with
 * `npx convex run metrics/demo:seedHistory` on a real deployment; `npm start` runs it on an empty store.
 */
export const seedHistory = internalMutation({
  args: {},
  handler: async (ctx) => {
    const now = Date.now();
    for (let from = bucketStart(now, "hour") - HISTORY_HOURS * HOUR_MS; from < now; from += SLICE_MS) {
      await ctx.scheduler.runAfter(0, internal.metrics.demo.seedSlice, {
        from,
        to: Math.min(from + SLICE_MS, now),
      });
    }
  },
});

export const seedSlice = internalMutation({
  args: { from: v.number(), to: v.number() },
  handler: async (ctx, { from, to }) => {
    if (to <= from) return;
    const events = generateTraffic({ from, to, perMinute: DEMO_EXECUTIONS_PER_MINUTE, seed: from });
    // History arrives all at once, so it is received "as it happened": the replay window spans the slice.
    await ingestEvents(ctx, { digest: `demo-history-${from}`, events }, to, {
      ...DEFAULT_METRIC_SETTINGS,
      replayWindowMs: SLICE_MS + 60_000,
    });
  },
});
