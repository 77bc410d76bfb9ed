import { afterEach, describe, expect, test, vi } from "vitest";
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import { api } from "../_generated/api";
import { instrumentedQuery } from "../lib/functions";
import schema from "../schema";
import { parseSlowQueryLine } from "../lib/slowQuery";
import { ensureAuthEnv, modules, newBackend, teamOfThree } from "../test.helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

function slowLines(warn: { mock: { calls: unknown[][] } }) {
  return warn.mock.calls.map((call) => parseSlowQueryLine(String(call[0]))).filter((line) => line !== null);
}

describe("instrumented tasks functions", () => {
  test("operators create, complete and list their own tasks; each change is audited", async () => {
    const t = await newBackend();
    const { operator } = await teamOfThree(t);
    const first = await operator.client.mutation(api.tasks.tasks.create, {
      text: " Rotate keys ",
      priority: "high",
    });
    await operator.client.mutation(api.tasks.tasks.create, { text: "Check backups", priority: "low" });
    await operator.client.mutation(api.tasks.tasks.setCompleted, { taskId: first, completed: true });
    const open = await operator.client.query(api.tasks.tasks.list, { completed: false });
    expect(open.map((task) => task.text)).toEqual(["Check backups"]);
    const all = await operator.client.query(api.tasks.tasks.list, {});
    expect(all.map((task) => [task.text, task.completed])).toEqual([
      ["Check backups", false],
      ["Rotate keys", true],
    ]);
    const audit = await operator.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 3, cursor: null },
      actor: "operator@example.com",
    });
    expect(audit.page.map((row) => row.action)).toEqual(["task.completed", "task.created", "task.created"]);
  });

  test("another user's task is NOT_FOUND, and bad text is a VALIDATION_ERROR that stores nothing", async () => {
    const t = await newBackend();
    const { operator, admin } = await teamOfThree(t);
    const taskId = await operator.client.mutation(api.tasks.tasks.create, {
      text: "mine",
      priority: "medium",
    });
    await expect(admin.client.mutation(api.tasks.tasks.remove, { taskId })).rejects.toThrow(/does not exist/);
    await expect(
      operator.client.mutation(api.tasks.tasks.create, { text: "   ", priority: "low" }),
    ).rejects.toThrow(/1 to 500 characters/);
    expect(await operator.client.query(api.tasks.tasks.list, {})).toHaveLength(1);
  });

  test("a fast call logs nothing", async () => {
    const t = await newBackend();
    const { operator } = await teamOfThree(t);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await operator.client.mutation(api.tasks.tasks.create, { text: "fast", priority: "low" });
    await operator.client.query(api.tasks.tasks.list, { limit: 5 });
    expect(slowLines(warn)).toEqual([]);
  });
});

describe("the instrumentation builder", () => {
  /** Functions that cross the thresholds on purpose, registered beside the real modules. */
  const probeModule = {
    scanAll: instrumentedQuery(
      "viewer",
      "probe.scanAll",
    )({
      args: {},
      handler: async (ctx) => (await ctx.db.query("tasks").collect()).length,
    }),
    manyCalls: instrumentedQuery(
      "viewer",
      "probe.manyCalls",
    )({
      args: {},
      handler: async (ctx) => {
        for (let call = 0; call < 12; call++) await ctx.db.query("tasks").first();
        return ctx.correlationId;
      },
    }),
  };

  async function probeBackend() {
    await ensureAuthEnv();
    const t = convexTest(schema, { ...modules, "./probe.ts": async () => probeModule });
    const { operator } = await teamOfThree(t);
    return { t, operator };
  }

  test("more than 10,000 documents scanned logs the slow-query line with the exact count", async () => {
    const { t, operator } = await probeBackend();
    await t.run(async (ctx) => {
      for (let index = 0; index < 10_050; index++) {
        await ctx.db.insert("tasks", {
          text: `bulk ${index}`,
          completed: false,
          userId: operator.userId,
          priority: "low",
          createdAt: index,
        });
      }
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await operator.client.query(makeFunctionReference<"query">("probe:scanAll"), {});
    const [line] = slowLines(warn);
    // Every task, plus the caller's user document read by the role check.
    expect(line).toMatchObject({ functionName: "probe.scanAll", docsScanned: 10_051 });
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toMatchObject({
      level: "warn",
      module: "probe",
      message: "Slow query detected",
    });
  });

  test("more than 10 database calls logs the line with the same correlation id the handler saw", async () => {
    const { operator } = await probeBackend();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const correlationId = await operator.client.query(
      makeFunctionReference<"query", Record<string, never>, string>("probe:manyCalls"),
      {},
    );
    const [line] = slowLines(warn);
    expect(line?.dbCalls).toBeGreaterThan(10);
    expect(line?.correlationId).toBe(correlationId);
    expect(correlationId).toMatch(/^\d+-[0-9a-f]{4}$/);
  });
});
