import { describe, expect, test } from "vitest";
import type { MutationCtx } from "../_generated/server";
import { newBackend, type Backend } from "../test.helpers";
import { upsertByIndex } from "./upsert";

function countMinute(ctx: MutationCtx, deployment: string, minute: number, events: number) {
  return upsertByIndex(
    ctx,
    "logStreamMinutes",
    (q) => q.withIndex("by_deployment_minute", (r) => r.eq("deployment", deployment).eq("minute", minute)),
    { insert: { deployment, minute, events }, patch: (existing) => ({ events: existing.events + events }) },
  );
}

async function minutes(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("logStreamMinutes").collect()).map(({ deployment, minute, events }) => ({
      deployment,
      minute,
      events,
    })),
  );
}

describe("upsertByIndex", () => {
  test("inserts the row its key names the first time and patches that same row after", async () => {
    const t = await newBackend();
    const first = await t.run((ctx) => countMinute(ctx, "prod-a", 60_000, 3));
    const second = await t.run((ctx) => countMinute(ctx, "prod-a", 60_000, 4));
    expect(second).toBe(first);
    expect(await minutes(t)).toEqual([{ deployment: "prod-a", minute: 60_000, events: 7 }]);
  });

  test("another key gets its own row and leaves the first one alone", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      await countMinute(ctx, "prod-a", 60_000, 3);
      await countMinute(ctx, "prod-b", 60_000, 5);
      await countMinute(ctx, "prod-a", 120_000, 1);
    });
    expect(await minutes(t)).toEqual([
      { deployment: "prod-a", minute: 60_000, events: 3 },
      { deployment: "prod-b", minute: 60_000, events: 5 },
      { deployment: "prod-a", minute: 120_000, events: 1 },
    ]);
  });

  test("refuses to pick one of two rows under the same key", async () => {
    const t = await newBackend();
    await t.run(async (ctx) => {
      for (const events of [1, 2])
        await ctx.db.insert("logStreamMinutes", { deployment: "prod-a", minute: 0, events });
    });
    await expect(t.run((ctx) => countMinute(ctx, "prod-a", 0, 1))).rejects.toThrow();
    expect((await minutes(t)).map((row) => row.events)).toEqual([1, 2]);
  });
});
