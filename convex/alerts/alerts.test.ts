/**
 * Alerts end to end inside convex-test: log-stream events through the real ingest, the evaluation
 * cron, the outbox and the delivery action against a sink standing in for fetch. The clock is
 * faked, so "a receiver down for 10 minutes" and the backoff run in milliseconds.
 */
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { ingestEvents } from "../metrics/ingest.helpers";
import { signBody } from "../metrics/read";
import { auditRows, backendWithTeam, type Backend, type Team } from "../test.helpers";
import { DEDUPE_HEADER } from "./deliver";

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 30);
const SIGNING_SECRET = "sink-signing-secret-0123456789";
const SINK_URL = "http://127.0.0.1:9099/alerts/hook-token-abcd";

type Received = { dedupeKey: string; body: Record<string, unknown>; signatureOk: boolean };

let t: Backend;
let team: Team;
let received: Received[];
let attemptsSeen: number;
/** The sink answers 500 until this instant, then 200. */
let downUntil: number;
let batch = 0;
/** When set, the sink refuses (HTTP 400) the first notification it sees, every time it comes again. */
let refuseFirst: { key: string | null } | null;
/** When each request reached the sink. */
let arrivals: number[];
/** The dedupe header of every request, answered or not. */
let attemptKeys: string[];

beforeEach(async () => {
  ({ t, team } = await backendWithTeam());
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  received = [];
  attemptsSeen = 0;
  downUntil = 0;
  refuseFirst = null;
  arrivals = [];
  attemptKeys = [];
  vi.stubGlobal("fetch", async (input: string | URL, init: RequestInit) => {
    attemptsSeen++;
    arrivals.push(Date.now());
    if (String(input) !== SINK_URL) throw new Error(`unexpected fetch of ${String(input)}`);
    const key = new Headers(init.headers).get(DEDUPE_HEADER);
    attemptKeys.push(key ?? "");
    if (refuseFirst !== null && (refuseFirst.key ?? key) === key) {
      refuseFirst.key = key;
      return new Response("bad request", { status: 400 });
    }
    if (Date.now() < downUntil)
      return new Response("internal failure: stack trace with SECRET-BODY", { status: 500 });
    const bytes = init.body as Uint8Array<ArrayBuffer>;
    const headers = new Headers(init.headers);
    received.push({
      dedupeKey: headers.get(DEDUPE_HEADER)!,
      body: JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>,
      signatureOk: headers.get("x-webhook-signature") === (await signBody(SIGNING_SECRET, bytes)),
    });
    return new Response("ok", { status: 200 });
  });
  await team.admin.client.mutation(api.alerts.alerts.addChannel, {
    name: "ops sink",
    kind: "webhook",
    url: SINK_URL,
    secret: SIGNING_SECRET,
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** One minute of traffic on `prod`: `calls` executions of which `failures` failed. */
async function traffic(calls: number, failures: number) {
  const at = Date.now();
  const events: RawLogEvent[] = Array.from({ length: calls }, (_, index) => ({
    topic: "function_execution",
    timestamp: at - index,
    convex: { deployment_name: "prod", deployment_type: "prod", project_name: "app", project_slug: "app" },
    function: { path: "tasks:list", type: "query", cached: false, request_id: `r${batch}-${index}` },
    execution_time_ms: 20,
    status: index < failures ? "failure" : "success",
    error_message: index < failures ? "Uncaught Error: boom" : null,
    usage: { database_read_documents: 1 },
  }));
  await t.run(async (ctx) => ingestEvents(ctx, { digest: `b${++batch}`, events }, at));
}

/** The error-rate alert fires under a policy that sends at once and repeats every three minutes. */
async function fireRepeatingEveryThreeMinutes() {
  await shortenPending();
  await team.admin.client.mutation(api.alerts.alerts.setPolicy, {
    groupWaitMs: 0,
    groupIntervalMs: MIN,
    repeatIntervalMs: 3 * MIN,
  });
  await fire();
}

/** An operator silences the error-rate rule on prod from now for `forMs`. */
async function silenceErrorRateOnProd(forMs: number, comment: string) {
  await team.operator.client.mutation(api.alerts.alerts.addSilence, {
    matchers: { rule: "error-rate", deployment: "prod" },
    startsAt: Date.now(),
    endsAt: Date.now() + forMs,
    comment,
  });
}

/** What the sink got about the error-rate rule (a fresh console also fires "no verified backup yet"). */
function errorRateNotices() {
  return received.filter(
    (r) => (r.body.alerts as { labels: Record<string, string> }[])[0]!.labels.rule === "error-rate",
  );
}

function statuses() {
  return errorRateNotices().map((r) => (r.body as { status: string }).status);
}

async function evaluate() {
  await t.mutation(internal.alerts.evaluate.evaluate, {});
}

/** Runs every scheduled delivery, moving the fake clock through each backoff. */
async function deliverAll() {
  await t.finishAllScheduledFunctions(vi.runAllTimers);
}

async function advance(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

async function errorRateInstance() {
  const { open } = await team.viewer.client.query(api.alerts.alerts.overview, {});
  return open.find((alert) => alert.ruleKey === "error-rate" && alert.deployment === "prod");
}

/** The error-rate rule with a 2-minute pending period, as the journey shortens it. */
async function shortenPending() {
  await evaluate(); // seeds the rules
  await team.admin.client.mutation(api.alerts.alerts.updateRule, {
    key: "error-rate",
    threshold: 0.01,
    recoveryThreshold: 0.008,
    pendingMs: 2 * MIN,
    keepFiringMs: 0,
    severity: "critical",
    enabled: true,
  });
}

/** Error rate 5 % for three minutes: Pending, then Firing. */
async function fire() {
  for (let minute = 0; minute < 3; minute++) {
    await traffic(100, 5);
    await evaluate();
    await advance(MIN);
  }
  await traffic(100, 5);
  await evaluate();
}

async function recover() {
  for (let minute = 0; minute < 6; minute++) {
    await advance(MIN);
    await traffic(100, 0);
    await evaluate();
  }
}

describe("an error rate over 1 %", { timeout: 30_000 }, () => {
  test("goes Pending, then Firing once the pending period passed, with the reason written down", async () => {
    await shortenPending();
    await traffic(100, 5);
    await evaluate();
    expect(await errorRateInstance()).toMatchObject({ state: "pending", reason: "error rate 5 % > 1 %" });
    await advance(MIN);
    await traffic(100, 5);
    await evaluate();
    expect((await errorRateInstance())?.state).toBe("pending");
    await advance(MIN);
    await traffic(100, 5);
    await evaluate();
    expect(await errorRateInstance()).toMatchObject({
      state: "firing",
      reason: "error rate 5 % > 1 % for 2 min",
    });
    const { history } = await team.viewer.client.query(api.alerts.alerts.overview, {});
    expect(history.filter((event) => event.ruleKey === "error-rate").map((event) => event.to)).toEqual([
      "firing",
      "pending",
    ]);
  });

  test("the Overview's error-rate tile is red exactly while the rule fires, at the rule's threshold", async () => {
    const tile = async () =>
      (await team.viewer.client.query(api.alerts.alerts.tiles, { deployment: "prod" })).error_rate;
    await shortenPending();
    expect(await tile()).toMatchObject({ verdict: "ok", rule: { threshold: 0.01 } });
    await traffic(100, 5);
    await evaluate();
    expect((await tile()).verdict).toBe("pending");
    await advance(2 * MIN);
    await traffic(100, 5);
    await evaluate();
    expect(await tile()).toMatchObject({
      verdict: "alert",
      rule: { reason: "error rate 5 % > 1 % for 2 min" },
    });
    await recover();
    expect(await errorRateInstance()).toBeUndefined();
    expect((await tile()).verdict).toBe("ok");
  });

  test("reaches the webhook signed like Convex's log stream, in Alertmanager's shape, then resolved", async () => {
    await shortenPending();
    await fire();
    await deliverAll();
    expect(statuses()).toEqual(["firing"]);
    const [firing] = errorRateNotices();
    expect(firing!.signatureOk).toBe(true);
    expect(firing!.body).toMatchObject({ version: "4", status: "firing", receiver: "ops sink" });
    const alert = (firing!.body.alerts as Record<string, unknown>[])[0]!;
    expect(alert).toMatchObject({
      status: "firing",
      labels: { rule: "error-rate", deployment: "prod", severity: "critical" },
      endsAt: "0001-01-01T00:00:00Z",
    });
    expect(alert.annotations).toMatchObject({
      runbook_url: expect.stringContaining("/runbooks?history=complete-outage"),
    });

    await recover();
    await deliverAll();
    expect(statuses()).toEqual(["firing", "resolved"]);
    expect(errorRateNotices()[1]!.signatureOk).toBe(true);
  });
});

describe("nothing lost", { timeout: 30_000 }, () => {
  test("a sink answering 500 for 10 minutes then 200 gets each dedupe key exactly once, in order", async () => {
    await shortenPending();
    downUntil = Date.now() + 10 * MIN;
    await fire();
    await recover();
    await deliverAll();
    expect(Date.now()).toBeGreaterThanOrEqual(downUntil);
    const keys = received.map((r) => r.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(statuses()).toEqual(["firing", "resolved"]);
    expect(attemptsSeen).toBeGreaterThan(received.length);

    const log = await team.viewer.client.query(api.alerts.alerts.deliveryLog, {});
    expect(log.some((attempt) => attempt.httpStatus === 500 && !attempt.ok)).toBe(true);
    expect(log.filter((attempt) => attempt.ok)).toHaveLength(received.length);
    // A receiver's answer is never shown raw.
    expect(JSON.stringify(log)).not.toContain("SECRET-BODY");
  });
});

describe("people", { timeout: 30_000 }, () => {
  test("an acknowledged alert stops repeating but still resolves", async () => {
    await fireRepeatingEveryThreeMinutes();
    const instance = (await errorRateInstance())!;
    await team.operator.client.mutation(api.alerts.alerts.acknowledge, {
      instanceId: instance._id,
      note: "rolling back",
    });
    for (let minute = 0; minute < 5; minute++) {
      await advance(MIN);
      await traffic(100, 5);
      await evaluate();
    }
    await recover();
    await deliverAll();
    expect(statuses()).toEqual(["firing", "resolved"]);
    const { history } = await team.viewer.client.query(api.alerts.alerts.overview, {});
    expect(history[0]).toMatchObject({ ruleKey: "error-rate", to: "normal" });
  });

  test("without an acknowledgement the alert repeats after the repeat interval", async () => {
    await fireRepeatingEveryThreeMinutes();
    for (let minute = 0; minute < 4; minute++) {
      await advance(MIN);
      await traffic(100, 5);
      await evaluate();
    }
    await deliverAll();
    expect(statuses()).toEqual(["firing", "firing"]);
    expect(errorRateNotices()[0]!.dedupeKey).not.toBe(errorRateNotices()[1]!.dedupeKey);
  });

  test("a silence holds the notification back; when it ends while the alert fires, the message says so", async () => {
    await shortenPending();
    await silenceErrorRateOnProd(10 * MIN, "deploying a fix");
    await fire();
    await deliverAll();
    expect(statuses()).toEqual([]);
    const silences = await team.viewer.client.query(api.alerts.alerts.silences, { now: Date.now() });
    expect(silences[0]).toMatchObject({ status: "active", matchesNothing: false });

    for (let minute = 0; minute < 10; minute++) {
      await advance(MIN);
      await traffic(100, 5);
      await evaluate();
    }
    await deliverAll();
    expect(statuses()).toEqual(["firing"]);
    const annotations = (errorRateNotices()[0]!.body.alerts as { annotations: Record<string, string> }[])[0]!
      .annotations;
    expect(annotations.note).toMatch(/^Was silenced by operator@example.com until .*; still firing\.$/);
  });

  test("an alert silenced after it was told resolves out loud: the receiver hears it ended", async () => {
    await shortenPending();
    await fire();
    await deliverAll();
    await silenceErrorRateOnProd(10 * MIN, "failing over");
    await recover();
    await deliverAll();
    expect(statuses()).toEqual(["firing", "resolved"]);
  });

  test("a silence that matches nothing says so", async () => {
    await evaluate();
    await team.operator.client.mutation(api.alerts.alerts.addSilence, {
      matchers: { deployment: "no-such-deployment" },
      startsAt: Date.now(),
      endsAt: Date.now() + MIN,
      comment: "typo",
    });
    const [silence] = await team.viewer.client.query(api.alerts.alerts.silences, { now: Date.now() });
    expect(silence!.matchesNothing).toBe(true);
    expect(
      (await team.viewer.client.query(api.alerts.alerts.silences, { now: Date.now() + 2 * MIN }))[0]!.status,
    ).toBe("expired");
  });

  test("every rule change, ack, silence and channel change is audited", async () => {
    await shortenPending();
    await fire();
    const instance = (await errorRateInstance())!;
    await team.operator.client.mutation(api.alerts.alerts.acknowledge, {
      instanceId: instance._id,
      note: "on it",
    });
    await team.operator.client.mutation(api.alerts.alerts.addSilence, {
      matchers: { severity: "warning" },
      startsAt: Date.now(),
      endsAt: Date.now() + MIN,
      comment: "maintenance",
    });
    const actions = (await auditRows(t)).map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "alert.channel_added",
        "alert.rule_edited",
        "alert.acknowledged",
        "alert.silence_added",
      ]),
    );
  });

  test("a test notification goes through the outbox and shows in the delivery log", async () => {
    const [channel] = await team.viewer.client.query(api.alerts.alerts.channels, {});
    await team.admin.client.mutation(api.alerts.alerts.sendTest, { channelId: channel!._id });
    await deliverAll();
    expect(received).toHaveLength(1);
    expect(received[0]!.signatureOk).toBe(true);
    const [attempt] = await team.viewer.client.query(api.alerts.alerts.deliveryLog, {});
    expect(attempt).toMatchObject({
      channelName: "ops sink",
      httpStatus: 200,
      ok: true,
      sentence: "Delivered (HTTP 200).",
    });
  });
});

type Sent = {
  status: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  truncatedAlerts: number;
  alerts: { status: string; labels: Record<string, string> }[];
};

/** The messages the sink got about deployment `prod`'s group, when alerts are grouped by deployment. */
function prodGroupMessages() {
  return received
    .map((r) => r.body as unknown as Sent)
    .filter((body) => body.groupKey === '{}:{deployment="prod"}');
}

/** Both error-rate rules fire at once (no pending period), grouped by deployment only. */
async function groupByDeployment() {
  await evaluate(); // seeds the rules
  for (const [key, threshold, recoveryThreshold] of [
    ["error-rate", 0.01, 0.008],
    ["high-error-rate", 0.05, 0.04],
  ] as const) {
    await team.admin.client.mutation(api.alerts.alerts.updateRule, {
      key,
      threshold,
      recoveryThreshold,
      pendingMs: 0,
      keepFiringMs: 0,
      severity: "critical",
      enabled: true,
    });
  }
  await team.admin.client.mutation(api.alerts.alerts.setPolicy, {
    groupWaitMs: 30_000,
    groupIntervalMs: 5 * MIN,
    repeatIntervalMs: 4 * 60 * MIN,
    groupBy: ["deployment"],
  });
}

describe("the grouping an admin sets", () => {
  test("a label alerts do not carry, or one named twice, is refused and the policy stays as it was", async () => {
    const before = await team.viewer.client.query(api.alerts.alerts.policy, {});
    for (const groupBy of [["__proto__"], ["deployment", "deployment"], ["deployment", "x".repeat(10_000)]]) {
      await expect(
        team.admin.client.mutation(api.alerts.alerts.setPolicy, {
          groupWaitMs: 0,
          groupIntervalMs: 0,
          repeatIntervalMs: 0,
          groupBy,
        }),
      ).rejects.toThrow(
        /Alerts can be grouped by alertname, rule, deployment, severity, function, each once/,
      );
    }
    expect(await team.viewer.client.query(api.alerts.alerts.policy, {})).toEqual(before);
  });
});

describe("the requests behind an alert", { timeout: 30_000 }, () => {
  test("lists the failing calls of the window that fired it, newest first, bounded, and none of its successes", async () => {
    await shortenPending();
    const early = batch; // request ids of a traffic call are r<batch>-<index>
    await traffic(100, 30); // 30 failures in the first minute: more than the page lists
    await evaluate();
    await advance(2 * MIN);
    await traffic(100, 5);
    await evaluate();
    const alert = (await errorRateInstance())!;
    expect(alert.state).toBe("firing");
    await advance(10 * MIN);
    await traffic(100, 50); // after it fired: not what fired it
    const evidence = (await team.viewer.client.query(api.alerts.alerts.evidence, { instanceId: alert._id }))!;
    expect(evidence.kind).toBe("failures");
    expect(evidence.to - 1).toBe(alert.firingSince);
    expect(evidence.calls).toHaveLength(20);
    expect(evidence.more).toBe(true);
    const ids = evidence.calls.map((call) => call.requestId);
    // The newest failures first: the five of the minute it fired, then the first minute's.
    expect(ids.slice(0, 5).sort()).toEqual([0, 1, 2, 3, 4].map((index) => `r${early + 1}-${index}`));
    expect(ids.every((id) => id.startsWith(`r${early}-`) || id.startsWith(`r${early + 1}-`))).toBe(true);
    expect(evidence.calls.every((call) => call.failed && Number(call.requestId.split("-")[1]) < 30)).toBe(
      true,
    );
    expect(evidence.calls.map((call) => call.ts)).toEqual(
      [...evidence.calls.map((call) => call.ts)].sort((a, b) => b - a),
    );
  });

  test("a rule no request explains lists none, and says so by its kind", async () => {
    await evaluate(); // a fresh console fires "no verified backup yet"
    const { open } = await team.viewer.client.query(api.alerts.alerts.overview, {});
    const backup = open.find((alert) => alert.deployment === "console")!;
    const evidence = await team.viewer.client.query(api.alerts.alerts.evidence, { instanceId: backup._id });
    expect(evidence).toMatchObject({ kind: null, calls: [], more: false });
  });
});

describe("grouping, as Alertmanager", { timeout: 30_000 }, () => {
  test("alerts of one group go in ONE message after the group wait, with Alertmanager's group fields", async () => {
    await groupByDeployment();
    const firedAt = Date.now();
    await traffic(100, 6);
    await evaluate();
    await deliverAll();
    const [message, ...more] = prodGroupMessages();
    expect(more).toEqual([]);
    expect(arrivals[received.findIndex((r) => (r.body as unknown as Sent) === message)]! - firedAt).toBe(
      30_000,
    );
    expect(message!.status).toBe("firing");
    expect(message!.groupLabels).toEqual({ deployment: "prod" });
    expect(message!.alerts.map((alert) => alert.labels.rule).sort()).toEqual([
      "error-rate",
      "high-error-rate",
    ]);
    expect(message!.commonLabels).toEqual({ deployment: "prod", severity: "critical" });
    expect(message!.truncatedAlerts).toBe(0);
  });

  test("a change of the group waits for the group interval and the message carries the whole group, resolved ones included", async () => {
    await groupByDeployment();
    await traffic(100, 6);
    await evaluate();
    await deliverAll();
    const firstAt = arrivals[arrivals.length - 1]!;
    // 3 %: the high error rate (5 %) resolves, the error rate (1 %) still fires.
    await advance(MIN);
    await traffic(1000, 30);
    await evaluate();
    await deliverAll();
    const [, second] = prodGroupMessages();
    expect(arrivals[arrivals.length - 1]! - firstAt).toBeGreaterThanOrEqual(5 * MIN);
    expect(second!.status).toBe("firing");
    expect(second!.alerts.map((alert) => [alert.labels.rule, alert.status])).toEqual([
      ["high-error-rate", "resolved"],
      ["error-rate", "firing"],
    ]);
    await recover();
    await deliverAll();
    const [, , third, ...rest] = prodGroupMessages();
    expect(rest).toEqual([]);
    expect(third!.status).toBe("resolved");
    expect(third!.alerts.map((alert) => [alert.labels.rule, alert.status])).toEqual([
      ["error-rate", "resolved"],
    ]);
  });

  test("a group message retried while the receiver is down carries the same id each time and arrives once", async () => {
    await groupByDeployment();
    await deliverAll(); // the console's own alert (no verified backup yet) goes first
    const before = attemptKeys.length;
    downUntil = Date.now() + 10 * MIN;
    await traffic(100, 6);
    await evaluate();
    await deliverAll();
    const [message] = prodGroupMessages();
    expect(message!.alerts).toHaveLength(2);
    const id = received.find((r) => (r.body as unknown as Sent) === message)!.dedupeKey;
    const tries = attemptKeys.slice(before);
    expect(tries.length).toBeGreaterThan(3);
    expect(new Set(tries)).toEqual(new Set([id]));
    expect(received.filter((r) => r.dedupeKey === id)).toHaveLength(1);
  });
});

describe("delivery robustness", { timeout: 30_000 }, () => {
  test("a receiver refusing a message (HTTP 400) is given up after 3 attempts; the next one still goes", async () => {
    refuseFirst = { key: null };
    const [channel] = await team.viewer.client.query(api.alerts.alerts.channels, {});
    await team.admin.client.mutation(api.alerts.alerts.sendTest, { channelId: channel!._id });
    await advance(1000);
    await team.admin.client.mutation(api.alerts.alerts.sendTest, { channelId: channel!._id });
    await deliverAll();
    expect(attemptsSeen).toBe(4);
    expect(received).toHaveLength(1);
    expect(received[0]!.dedupeKey).not.toBe(refuseFirst.key);
    const log = await team.viewer.client.query(api.alerts.alerts.deliveryLog, {});
    expect(log.filter((attempt) => attempt.httpStatus === 400)).toHaveLength(3);
    expect(log.map((attempt) => attempt.sentence)).toContain(
      "The receiver refused it (HTTP 400) 3 times; given up, so later notifications are not held back.",
    );
  });

  test("a Slack channel gets at most one message a second", async () => {
    await team.admin.client.mutation(api.alerts.alerts.addChannel, {
      name: "slack",
      kind: "slack",
      url: SINK_URL,
    });
    const channels = await team.viewer.client.query(api.alerts.alerts.channels, {});
    const slack = channels.find((channel) => channel.kind === "slack")!;
    for (let i = 0; i < 3; i++)
      await team.admin.client.mutation(api.alerts.alerts.sendTest, { channelId: slack._id });
    await deliverAll();
    expect(arrivals).toHaveLength(3);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(1000);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(1000);
  });

  test("an instance that stays as it was is not written again each minute", async () => {
    await shortenPending();
    await fire();
    const writesOf = async () =>
      (await t.run(async (ctx) => ctx.db.query("alertInstances").collect())).map(
        (row) => row._creationTime + ":" + row.updatedAt,
      );
    const before = await writesOf();
    await advance(MIN);
    await traffic(100, 5);
    await evaluate();
    expect(await writesOf()).toEqual(before);
  });
});

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConvexError) return (error.data as { code: string }).code;
    throw error;
  }
  return "no error";
}

describe("attacks", { timeout: 30_000 }, () => {
  test("a viewer cannot acknowledge, and an operator cannot edit a rule or a channel", async () => {
    await shortenPending();
    await fire();
    const instance = (await errorRateInstance())!;
    expect(
      await codeOf(
        team.viewer.client.mutation(api.alerts.alerts.acknowledge, { instanceId: instance._id, note: "x" }),
      ),
    ).toBe("UNAUTHORIZED");
    expect(
      await codeOf(
        team.operator.client.mutation(api.alerts.alerts.updateRule, {
          key: "error-rate",
          threshold: 1,
          recoveryThreshold: 1,
          pendingMs: 0,
          keepFiringMs: 0,
          severity: "warning",
          enabled: false,
        }),
      ),
    ).toBe("UNAUTHORIZED");
    const [channel] = await team.viewer.client.query(api.alerts.alerts.channels, {});
    expect(
      await codeOf(
        team.operator.client.mutation(api.alerts.alerts.updateChannel, {
          channelId: channel!._id,
          url: "https://evil.example",
        }),
      ),
    ).toBe("UNAUTHORIZED");
    expect(
      await codeOf(team.operator.client.mutation(api.alerts.alerts.sendTest, { channelId: channel!._id })),
    ).toBe("UNAUTHORIZED");
  });

  test("a channel URL with credentials, or not http(s), is refused", async () => {
    for (const url of [
      "https://user:pw@hooks.example.com/x",
      "file:///etc/passwd",
      "gopher://example.com/",
    ]) {
      expect(
        await codeOf(
          team.admin.client.mutation(api.alerts.alerts.addChannel, {
            name: `c${url.length}`,
            kind: "slack",
            url,
          }),
        ),
      ).toBe("VALIDATION_ERROR");
    }
  });

  test("the channel URL and signing secret never come back, only their masks", async () => {
    await team.admin.client.mutation(api.alerts.alerts.addChannel, {
      name: "slack",
      kind: "slack",
      url: "https://hooks.slack.com/services/T000/B000/slacktokenXYZW",
    });
    const listed = JSON.stringify(await team.viewer.client.query(api.alerts.alerts.channels, {}));
    expect(listed).not.toContain("hook-token-abcd");
    expect(listed).not.toContain(SIGNING_SECRET);
    expect(listed).not.toContain("slacktoken");
    expect(listed).toContain("••••XYZW");
    const stored = await t.run(async (ctx) => JSON.stringify(await ctx.db.query("alertChannels").collect()));
    expect(stored).not.toContain("slacktoken");
    expect(stored).not.toContain(SIGNING_SECRET);
    const audit = await t.run(async (ctx) => JSON.stringify(await ctx.db.query("audit").collect()));
    expect(audit).not.toContain(SIGNING_SECRET);
    expect(audit).not.toContain("slacktoken");
  });

  test("a webhook channel without a signing secret is refused: receivers could not tell forged alerts", async () => {
    expect(
      await codeOf(
        team.admin.client.mutation(api.alerts.alerts.addChannel, {
          name: "unsigned",
          kind: "webhook",
          url: SINK_URL,
        }),
      ),
    ).toBe("VALIDATION_ERROR");
  });
});
