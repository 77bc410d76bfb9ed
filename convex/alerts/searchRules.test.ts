/**
 * "Create an alert from this search": the rule counts a Logs query's matches per deployment over
 * its window, within a bounded number of documents read, and only admins make one.
 */
import { ConvexError } from "convex/values";
import { expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { logRowOf } from "../logs/model/rows";
import { ingestEvents } from "../metrics/ingest.helpers";
import { backendWithTeam, type Backend } from "../test.helpers";
import { SEARCH_RULES } from "./model/searchRules";

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 3, 12, 0, 30);
let sequence = 0;

function line(deployment: string, ts: number, level: string, message: string): RawLogEvent {
  sequence += 1;
  return {
    topic: "console",
    timestamp: ts,
    convex: {
      deployment_name: deployment,
      deployment_type: "prod",
      project_name: "app",
      project_slug: "app",
    },
    function: { path: "tasks:list", type: "query", request_id: `s-${sequence}` },
    log_level: level,
    message,
    is_truncated: false,
  };
}

async function ingest(t: Backend, events: RawLogEvent[], at: number) {
  await t.run(async (ctx) => ingestEvents(ctx, { digest: `s-${++sequence}`, events }, at));
}

async function searchInstances(t: Backend) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("alertInstances").collect())
      .filter((row) => row.ruleKey.startsWith(SEARCH_RULES.keyPrefix))
      .map((row) => ({
        deployment: row.deployment,
        state: row.state,
        value: row.lastValue,
        reason: row.reason,
      })),
  );
}

test(
  "counts the search's matches per deployment over the rule's window, and fires above N",
  { timeout: 60_000 },
  async () => {
    const { t, team } = await backendWithTeam();
    const slow = (deployment: string, ts: number) =>
      line(deployment, ts, "WARN", "Slow query detected in tasks.list");
    await ingest(
      t,
      [
        // Three on prod before the five-minute window: not counted.
        ...Array.from({ length: 3 }, (_, i) => slow("prod", NOW - 9 * MIN + i)),
        // Seven on prod inside it, one line that does not match, and four on staging.
        ...Array.from({ length: 7 }, (_, i) => slow("prod", NOW - 4 * MIN + i * 1000)),
        line("prod", NOW - 2 * MIN, "INFO", "cache warmed in 12ms"),
        ...Array.from({ length: 4 }, (_, i) => slow("staging", NOW - 3 * MIN + i * 1000)),
      ],
      NOW - MIN,
    );
    const created = await team.admin.client.mutation(api.alerts.searchRules.createFromSearch, {
      query: 'message:"Slow query detected"',
      windowMinutes: 5,
      threshold: 5,
      severity: "warning",
    });
    expect(created.name).toBe('Log search: message:"Slow query detected"');

    await t.mutation(internal.alerts.evaluate.evaluate, { now: NOW });
    expect(await searchInstances(t)).toEqual([
      { deployment: "prod", state: "firing", value: 7, reason: "matching log events 7 > 5" },
    ]);

    // The search is stored with the rule, so the Alerts page can link back to Logs with it.
    const rules = await team.viewer.client.query(api.alerts.alerts.rules, {});
    expect(rules.find((rule) => rule.key === created.key)).toMatchObject({
      signal: "log_matches",
      scope: "deployment",
      threshold: 5,
      search: { query: 'message:"Slow query detected"', windowMs: 5 * MIN },
    });
    const { open } = await team.viewer.client.query(api.alerts.alerts.overview, {});
    expect(open.find((alert) => alert.ruleKey === created.key)).toMatchObject({
      deployment: "prod",
      logsQuery: 'message:"Slow query detected"',
    });
    const audit = await t.run(async (ctx) =>
      (await ctx.db.query("audit").collect()).filter((row) => row.action === "alert.rule_created"),
    );
    expect(audit).toMatchObject([{ actorEmail: "admin@example.com", target: created.key }]);

    // Five minutes on, the window holds none of them: the alert resolves.
    await t.mutation(internal.alerts.evaluate.evaluate, { now: NOW + 5 * MIN });
    expect((await searchInstances(t)).map((row) => [row.state, row.value])).toEqual([["normal", 0]]);
  },
);

test(
  "a count that cannot finish within its budget is the Error state, saying so, not a guess",
  { timeout: 120_000 },
  async () => {
    const { t, team } = await backendWithTeam();
    await ingest(t, [line("prod", NOW - MIN, "ERROR", "boom")], NOW - MIN);
    await t.run(async (ctx) => {
      for (let i = 0; i < SEARCH_RULES.countBudget + 100; i++) {
        await ctx.db.insert(
          "logEvents",
          logRowOf({
            kind: "console",
            record: {
              deployment: "prod",
              ts: NOW - 2 * MIN + i,
              requestId: null,
              functionPath: "tasks:list",
              level: "ERROR",
              message: "boom",
              slowQuery: null,
            },
          }),
        );
      }
    });
    await team.admin.client.mutation(api.alerts.searchRules.createFromSearch, {
      query: "level:error",
      windowMinutes: 5,
      threshold: 10,
      severity: "critical",
    });
    await t.mutation(internal.alerts.evaluate.evaluate, { now: NOW });
    expect(await searchInstances(t)).toEqual([
      {
        deployment: "prod",
        state: "error",
        value: null,
        reason:
          "Evaluation failed: could not count the matches within 2,000 documents read (2,000 found before stopping); narrow the search or shorten its window",
      },
    ]);
  },
);

test(
  "a viewer or an operator cannot make an alert from a search, and a broken query is refused where it breaks",
  { timeout: 60_000 },
  async () => {
    const { t, team } = await backendWithTeam();
    const args = { query: "level:error", windowMinutes: 5, threshold: 3, severity: "warning" as const };
    for (const who of [team.viewer, team.operator]) {
      const refused = await who.client
        .mutation(api.alerts.searchRules.createFromSearch, args)
        .catch((error) => error);
      expect(refused).toBeInstanceOf(ConvexError);
      expect((refused as ConvexError<{ code: string }>).data.code).toBe("UNAUTHORIZED");
    }
    const broken = await team.admin.client
      .mutation(api.alerts.searchRules.createFromSearch, { ...args, query: 'message:"unclosed' })
      .catch((error) => error);
    expect((broken as ConvexError<{ message: string }>).data.message).toMatch(
      /^The search has an error at column 9: /,
    );
    const rules = await t.run(async (ctx) => await ctx.db.query("alertRules").collect());
    expect(rules.filter((rule) => rule.signal === "log_matches")).toEqual([]);
  },
);
