/**
 * The "deploy regression" rule: a deploy's verdict (Deploys page, issue #23) that flags a function
 * fires one alert per deployment and function; a later clean verdict, or a day without one, resolves it.
 */
import { expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { ingestEvents } from "../metrics/ingest.helpers";
import { backendWithAdmin, newBackend, type Backend } from "../test.helpers";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 30);

async function watch(t: Backend, deployment: string, at: number) {
  const event: RawLogEvent = {
    topic: "function_execution",
    timestamp: at,
    convex: {
      deployment_name: deployment,
      deployment_type: "prod",
      project_name: "app",
      project_slug: "app",
    },
    function: { path: "tasks:list", type: "query", cached: false, request_id: `w-${deployment}-${at}` },
    execution_time_ms: 20,
    status: "success",
    error_message: null,
    usage: { database_read_documents: 1 },
  };
  await t.run(async (ctx) => ingestEvents(ctx, { digest: `w-${deployment}-${at}`, events: [event] }, at));
}

async function verdict(
  t: Backend,
  deployment: string,
  deployTs: number,
  regressions: { functionPath: string; kinds: string[] }[],
  state: "done" | "computing" = "done",
) {
  await t.run(async (ctx) => {
    await ctx.db.insert("deployVerdicts", {
      deployment,
      deployTs,
      windowMs: 10 * MIN,
      state,
      cursor: null,
      regressions: state === "done" ? regressions : [],
      newFunctions: 0,
      goneFunctions: 0,
      functionsCompared: 3,
    });
  });
}

async function regressionAlerts(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("alertInstances").collect())
      .filter((row) => row.ruleKey === "deploy-regression")
      .map((row) => ({
        deployment: row.deployment,
        functionPath: row.functionPath,
        state: row.state,
        reason: row.reason,
      })),
  );
}

async function evaluate(t: Backend, now: number) {
  await t.mutation(internal.alerts.evaluate.evaluate, { now });
}

test(
  "a verdict that flags a function fires for that function and deployment only, and a clean verdict after resolves it",
  { timeout: 30_000 },
  async () => {
    const t = await newBackend();
    await watch(t, "prod", T0);
    await watch(t, "staging", T0);
    await verdict(t, "prod", T0 - 20 * MIN, [{ functionPath: "tasks:list", kinds: ["p95", "errorRate"] }]);
    await evaluate(t, T0);
    expect(await regressionAlerts(t)).toEqual([
      {
        deployment: "prod",
        functionPath: "tasks:list",
        state: "firing",
        reason: "measures regressed since the deploy 2 > 0",
      },
    ]);

    // A newer deploy still inside its window has no verdict yet: the older regression stands.
    await verdict(t, "prod", T0 - 2 * MIN, [], "computing");
    await evaluate(t, T0 + MIN);
    expect((await regressionAlerts(t)).map((alert) => alert.state)).toEqual(["firing"]);

    // Its verdict comes back clean: the fix is in, the alert resolves (and its history says why).
    await t.run(async (ctx) => {
      const computing = (await ctx.db.query("deployVerdicts").collect()).find(
        (row) => row.state === "computing",
      )!;
      await ctx.db.patch("deployVerdicts", computing._id, { state: "done" });
    });
    await evaluate(t, T0 + 2 * MIN);
    expect(await regressionAlerts(t)).toEqual([]);
    const history = await t.run(async (ctx) =>
      (await ctx.db.query("alertEvents").collect()).filter((event) => event.ruleKey === "deploy-regression"),
    );
    expect(history.map((event) => [event.functionPath, event.from, event.to])).toEqual([
      ["tasks:list", "normal", "firing"],
      ["tasks:list", "firing", "normal"],
    ]);
  },
);

test(
  "a regression nobody fixed resolves a day after its deploy, and the Alerts page lists it while it fires",
  { timeout: 30_000 },
  async () => {
    const { t, admin } = await backendWithAdmin();
    await watch(t, "prod", T0);
    await verdict(t, "prod", T0 - 15 * MIN, [{ functionPath: "tasks:get", kinds: ["readDocuments"] }]);
    await evaluate(t, T0);
    const { open } = await admin.client.query(api.alerts.alerts.overview, {});
    expect(open.filter((alert) => alert.ruleKey === "deploy-regression")).toMatchObject([
      {
        ruleName: "A function regressed after a deploy",
        deployment: "prod",
        functionPath: "tasks:get",
        state: "firing",
        runbook: { template: "complete-outage", item: "rollback" },
      },
    ]);

    await watch(t, "prod", T0 + 23 * HOUR);
    await evaluate(t, T0 + 23 * HOUR);
    expect((await regressionAlerts(t)).map((alert) => alert.state)).toEqual(["firing"]);
    await watch(t, "prod", T0 + 24 * HOUR);
    await evaluate(t, T0 + 24 * HOUR);
    expect(await regressionAlerts(t)).toEqual([]);
  },
);
