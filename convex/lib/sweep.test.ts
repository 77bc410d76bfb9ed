import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { internal } from "../_generated/api";
import type { MutationCtx } from "../_generated/server";
import { newBackend, type Backend } from "../test.helpers";
import { deleteRange, sweepInChunks } from "./sweep";

const CUTOFF = 1_000_000;

async function auditEventsAt(t: Backend, stamps: number[]) {
  await t.run(async (ctx) => {
    for (const ts of stamps) {
      await ctx.db.insert("deploymentAuditLog", {
        deployment: "prod-a",
        ts,
        action: "push_config",
        metadata: "{}",
      });
    }
  });
}

async function leftStamps(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("deploymentAuditLog").collect()).map((row) => row.ts),
  );
}

function olderThanCutoff(ctx: MutationCtx, limit: number) {
  return deleteRange(
    ctx,
    "deploymentAuditLog",
    (q) => q.withIndex("by_ts", (r) => r.lt("ts", CUTOFF)),
    limit,
  );
}

describe("deleteRange", () => {
  test("deletes at most the limit, oldest first, and nothing outside the range", async () => {
    const t = await newBackend();
    await auditEventsAt(t, [CUTOFF - 5, CUTOFF - 4, CUTOFF - 3, CUTOFF - 2, CUTOFF, CUTOFF + 1]);
    const deleted = await t.run((ctx) => olderThanCutoff(ctx, 3));
    expect(deleted).toBe(3);
    expect(await leftStamps(t)).toEqual([CUTOFF - 2, CUTOFF, CUTOFF + 1]);
  });
});

describe("sweepInChunks", () => {
  // The scheduled run is observed in _scheduled_functions, not run: each test plays the scheduler.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function scheduled(t: Backend) {
    return await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).map((job) => ({
        name: job.name,
        args: job.args,
      })),
    );
  }

  test("each transaction deletes at most a chunk and schedules itself again until the range is empty", async () => {
    const t = await newBackend();
    await auditEventsAt(t, [
      ...Array.from({ length: 7 }, (_, index) => CUTOFF - 10 + index),
      CUTOFF,
      CUTOFF + 5,
    ]);
    const again = { fn: internal.metrics.retention.sweep, args: { now: 42 } };
    const runs: Array<{ events: number }> = [];
    let jobs = 0;
    for (let guard = 0; guard < 10; guard++) {
      runs.push(
        await t.run((ctx) =>
          sweepInChunks(ctx, { events: (limit) => olderThanCutoff(ctx, limit) }, again, 3),
        ),
      );
      const nowScheduled = (await scheduled(t)).length;
      if (nowScheduled === jobs) break;
      jobs = nowScheduled;
    }
    expect(runs).toEqual([{ events: 3 }, { events: 3 }, { events: 1 }]);
    expect(await scheduled(t)).toEqual([
      { name: "metrics/retention:sweep", args: [{ now: 42 }] },
      { name: "metrics/retention:sweep", args: [{ now: 42 }] },
    ]);
    expect(await leftStamps(t)).toEqual([CUTOFF, CUTOFF + 5]);
  });

  test("runs every step in order and reschedules when any one of them filled its chunk", async () => {
    const t = await newBackend();
    const order: string[] = [];
    const counts = await t.run((ctx) =>
      sweepInChunks(
        ctx,
        {
          quiet: async () => (order.push("quiet"), 0),
          busy: async (limit) => (order.push("busy"), limit),
          last: async () => (order.push("last"), 1),
        },
        { fn: internal.metrics.retention.sweep, args: { now: 7 } },
        2,
      ),
    );
    expect(order).toEqual(["quiet", "busy", "last"]);
    expect(counts).toEqual({ quiet: 0, busy: 2, last: 1 });
    expect(await scheduled(t)).toHaveLength(1);
  });

  test("does not reschedule when every step came back short of its chunk", async () => {
    const t = await newBackend();
    await auditEventsAt(t, [CUTOFF - 1]);
    await t.run((ctx) =>
      sweepInChunks(
        ctx,
        { events: (limit) => olderThanCutoff(ctx, limit) },
        { fn: internal.metrics.retention.sweep, args: {} },
        2,
      ),
    );
    expect(await scheduled(t)).toEqual([]);
    expect(await leftStamps(t)).toEqual([]);
  });
});
