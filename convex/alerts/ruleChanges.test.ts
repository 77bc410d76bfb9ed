/**
 * What an admin's change to a rule does to the alerts it raised, as Grafana does on "Updated",
 * "Paused" and "RuleDeleted": they end at once, the reason is written down, and whoever was told an
 * alert fires is told it resolved. Until then a disabled rule's alert stayed firing for good, and an
 * edited one vanished at the next minute without a resolution.
 */
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { ingestEvents } from "../metrics/ingest.helpers";
import { newBackend, teamOfThree, type Backend } from "../test.helpers";

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 3, 12, 0, 30);

let t: Backend;
let team: Awaited<ReturnType<typeof teamOfThree>>;

beforeEach(async () => {
  t = await newBackend();
  team = await teamOfThree(t);
  vi.stubGlobal("fetch", async () => new Response("ok", { status: 200 }));
  await team.admin.client.mutation(api.alerts.alerts.addChannel, {
    name: "ops sink",
    kind: "webhook",
    url: "https://hooks.example.com/alerts",
    secret: "sink-signing-secret-0123456789",
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Six ERROR lines on prod a minute ago, and an admin's "more than 3 level:error in 5 minutes". */
async function firingSearchRule() {
  const events: RawLogEvent[] = Array.from({ length: 6 }, (_, index) => ({
    topic: "console",
    timestamp: NOW - MIN + index,
    convex: { deployment_name: "prod", deployment_type: "prod", project_name: "app", project_slug: "app" },
    function: { path: "tasks:list", type: "query", request_id: `e-${index}` },
    log_level: "ERROR",
    message: "boom",
    is_truncated: false,
  }));
  await t.run(async (ctx) => ingestEvents(ctx, { digest: "errors", events }, NOW - MIN));
  const { key, name } = await team.admin.client.mutation(api.alerts.searchRules.createFromSearch, {
    query: "level:error",
    windowMinutes: 5,
    threshold: 3,
    severity: "critical",
  });
  await t.mutation(internal.alerts.evaluate.evaluate, { now: NOW });
  return { key, name };
}

async function openAlertsOf(key: string) {
  const { open } = await team.viewer.client.query(api.alerts.alerts.overview, {});
  return open.filter((alert) => alert.ruleKey === key);
}

/** The notices queued for the rule's alerts, oldest first: what the channel was or will be told. */
async function noticesOf(key: string) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("alertOutbox").collect())
      .filter((row) => row.notice.labels.rule === key)
      .map((row) => row.notice.status),
  );
}

async function lastEventOf(key: string) {
  const { history } = await team.viewer.client.query(api.alerts.alerts.overview, {});
  return history.find((event) => event.ruleKey === key);
}

function ruleEdit(key: string, changes: { threshold?: number; enabled?: boolean }) {
  return {
    key,
    threshold: 3,
    recoveryThreshold: 3,
    pendingMs: 0,
    keepFiringMs: 0,
    severity: "critical" as const,
    enabled: true,
    ...changes,
  };
}

test(
  "disabling a firing rule resolves its alert at once and tells the channel",
  { timeout: 60_000 },
  async () => {
    const { key } = await firingSearchRule();
    expect((await openAlertsOf(key)).map((alert) => alert.state)).toEqual(["firing"]);
    expect(await noticesOf(key)).toEqual(["firing"]);

    await team.admin.client.mutation(api.alerts.alerts.updateRule, ruleEdit(key, { enabled: false }));
    expect(await openAlertsOf(key)).toEqual([]);
    expect(await noticesOf(key)).toEqual(["firing", "resolved"]);
    expect(await lastEventOf(key)).toMatchObject({
      from: "firing",
      to: "normal",
      reason: "The rule was disabled by admin@example.com",
    });

    // Disabled, it is not evaluated: the errors still there raise nothing.
    await t.mutation(internal.alerts.evaluate.evaluate, { now: NOW + MIN });
    expect(await openAlertsOf(key)).toEqual([]);
    expect(await noticesOf(key)).toEqual(["firing", "resolved"]);
  },
);

test(
  "editing a firing rule resolves its alert; the next evaluation judges it afresh",
  { timeout: 60_000 },
  async () => {
    const { key } = await firingSearchRule();
    await team.admin.client.mutation(api.alerts.alerts.updateRule, ruleEdit(key, { threshold: 4 }));
    expect(await openAlertsOf(key)).toEqual([]);
    expect(await noticesOf(key)).toEqual(["firing", "resolved"]);
    expect((await lastEventOf(key))?.reason).toBe("The rule was edited by admin@example.com");

    await t.mutation(internal.alerts.evaluate.evaluate, { now: NOW + MIN });
    expect((await openAlertsOf(key)).map((alert) => [alert.state, alert.reason])).toEqual([
      ["firing", "matching log events 6 > 4"],
    ]);
    expect(await noticesOf(key)).toEqual(["firing", "resolved", "firing"]);
  },
);

test(
  "an admin deletes an alert made from a search: its alert resolves, and room is made for another",
  { timeout: 60_000 },
  async () => {
    const { key, name } = await firingSearchRule();
    await team.admin.client.mutation(api.alerts.searchRules.deleteSearchRule, { key });

    const rules = await team.viewer.client.query(api.alerts.alerts.rules, {});
    expect(rules.map((rule) => rule.key)).not.toContain(key);
    expect(await openAlertsOf(key)).toEqual([]);
    expect(await noticesOf(key)).toEqual(["firing", "resolved"]);
    expect(await lastEventOf(key)).toMatchObject({
      to: "normal",
      reason: "The rule was deleted by admin@example.com",
    });
    const instances = await t.run(async (ctx) =>
      (await ctx.db.query("alertInstances").collect()).filter((row) => row.ruleKey === key),
    );
    expect(instances).toEqual([]);
    const audit = await t.run(async (ctx) =>
      (await ctx.db.query("audit").collect()).filter((row) => row.action === "alert.rule_deleted"),
    );
    expect(audit).toMatchObject([{ actorEmail: "admin@example.com", target: key, details: { name } }]);
    await t.mutation(internal.alerts.evaluate.evaluate, { now: NOW + MIN });
    expect(await noticesOf(key)).toEqual(["firing", "resolved"]);
  },
);

test(
  "a viewer or an operator cannot delete a rule, a built-in rule cannot be deleted, an unknown one is not found",
  { timeout: 60_000 },
  async () => {
    const { key } = await firingSearchRule();
    const codeOf = async (promise: Promise<unknown>) =>
      await promise.then(
        () => "no error",
        (error: unknown) =>
          error instanceof ConvexError ? (error.data as { code: string }).code : String(error),
      );
    for (const who of [team.viewer, team.operator]) {
      expect(await codeOf(who.client.mutation(api.alerts.searchRules.deleteSearchRule, { key }))).toBe(
        "UNAUTHORIZED",
      );
    }
    expect(
      await codeOf(
        team.admin.client.mutation(api.alerts.searchRules.deleteSearchRule, { key: "error-rate" }),
      ),
    ).toBe("VALIDATION_ERROR");
    expect(
      await codeOf(
        team.admin.client.mutation(api.alerts.searchRules.deleteSearchRule, { key: "search-000000000000" }),
      ),
    ).toBe("NOT_FOUND");
    const keys = (await team.viewer.client.query(api.alerts.alerts.rules, {})).map((rule) => rule.key);
    expect(keys).toContain(key);
    expect(keys).toContain("error-rate");
    expect((await openAlertsOf(key)).map((alert) => alert.state)).toEqual(["firing"]);
  },
);
