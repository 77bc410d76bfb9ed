import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { signBody } from "./model/logStream";
import { EXAMPLE_EXECUTION } from "./model/logStream.fixtures";
import { newBackend, signUp, type Backend } from "../test.helpers";

const SECRET = "0123456789abcdef0123456789abcdef";
const convex = {
  deployment_name: "tall-sheep-123",
  deployment_type: "prod",
  project_name: "app",
  project_slug: "app",
};

function execution(overrides: Record<string, unknown> = {}) {
  return { ...EXAMPLE_EXECUTION, convex, timestamp: Date.now() - 1000, ...overrides };
}

async function withSecret() {
  const t = await newBackend();
  const admin = await signUp(t, "admin@example.com");
  await admin.client.mutation(api.metrics.webhook.setSecret, { secret: SECRET });
  return { t, admin };
}

async function post(t: Backend, body: string, signature?: string | null) {
  const bytes = new TextEncoder().encode(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const header = signature === undefined ? await signBody(SECRET, bytes) : signature;
  if (header !== null) headers["x-webhook-signature"] = header;
  return await t.fetch("/log-stream", { method: "POST", headers, body });
}

async function storedCounts(t: Backend) {
  return await t.run(async (ctx) => ({
    executions: (await ctx.db.query("executions").collect()).length,
    rollups: (await ctx.db.query("rollups").collect()).length,
  }));
}

describe("POST /log-stream", () => {
  test("a signed JSON array is stored: executions, rollups and the stream status", async () => {
    const { t, admin } = await withSecret();
    const response = await post(
      t,
      JSON.stringify([
        execution(),
        execution({ function: { path: "tasks:create", type: "mutation", request_id: "b1" } }),
      ]),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      replaysRejected: 0,
      unknownTopics: 0,
    });
    expect((await storedCounts(t)).executions).toBe(2);
    const status = await admin.client.query(api.metrics.webhook.status, {});
    expect(status.deployments).toEqual([
      expect.objectContaining({ name: "tall-sheep-123", type: "prod", eventsAccepted: 2 }),
    ]);
    expect(status.secret).toMatchObject({ source: "settings", masked: "••••cdef" });
    expect(JSON.stringify(status)).not.toContain(SECRET);
  });

  test("JSON lines are accepted too", async () => {
    const { t } = await withSecret();
    const body = [execution(), execution({ function: { path: "tasks:get", type: "query", request_id: "c" } })]
      .map((event) => JSON.stringify(event))
      .join("\n");
    const response = await post(t, body);
    expect(await response.json()).toMatchObject({ accepted: 2 });
  });

  test.each([
    ["missing", null],
    ["wrong", "sha256=" + "0".repeat(64)],
    ["not hex", "sha256=zz"],
  ])("a %s signature gets 401 and stores nothing", async (_label, signature) => {
    const { t } = await withSecret();
    const response = await post(t, JSON.stringify([execution()]), signature);
    expect(response.status).toBe(401);
    expect(await storedCounts(t)).toEqual({ executions: 0, rollups: 0 });
  });

  test("a body changed after signing gets 401", async () => {
    const { t } = await withSecret();
    const signed = await signBody(SECRET, new TextEncoder().encode(JSON.stringify([execution()])));
    const response = await post(t, JSON.stringify([execution({ execution_time_ms: 1 })]), signed);
    expect(response.status).toBe(401);
  });

  test("a malformed body gets 400 naming the problem and stores nothing", async () => {
    const { t } = await withSecret();
    const response = await post(t, '[{"topic":"console"}]');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'event 1 has no numeric "timestamp"' });
    expect(await storedCounts(t)).toEqual({ executions: 0, rollups: 0 });
  });

  test("an oversized body gets 413 and stores nothing", async () => {
    const { t } = await withSecret();
    const huge = JSON.stringify([execution({ error_message: "x".repeat(5 * 1024 * 1024) })]);
    const response = await post(t, huge);
    expect(response.status).toBe(413);
    expect(await storedCounts(t)).toEqual({ executions: 0, rollups: 0 });
  });

  test("a retried batch is counted once", async () => {
    const { t } = await withSecret();
    const body = JSON.stringify([execution()]);
    await post(t, body);
    const retry = await post(t, body);
    expect(await retry.json()).toEqual({ accepted: 0, duplicates: 1, replaysRejected: 0, unknownTopics: 0 });
    const rollup = await t.run(
      async (ctx) =>
        await ctx.db
          .query("rollups")
          .withIndex("by_scope", (q) =>
            q.eq("deployment", "tall-sheep-123").eq("granularity", "hour").eq("functionPath", "*"),
          )
          .unique(),
    );
    expect(rollup?.calls).toBe(1);
  });

  test("the same event twice in one body is stored once", async () => {
    const { t } = await withSecret();
    const event = execution();
    const response = await post(t, JSON.stringify([event, event]));
    expect(await response.json()).toEqual({
      accepted: 1,
      duplicates: 1,
      replaysRejected: 0,
      unknownTopics: 0,
    });
    expect((await storedCounts(t)).executions).toBe(1);
  });

  test("events older than the replay window are rejected and counted", async () => {
    const { t } = await withSecret();
    const response = await post(
      t,
      JSON.stringify([
        execution({ timestamp: Date.now() - 10 * 60_000 }),
        execution({ function: { path: "x:y", type: "query", request_id: "d" } }),
      ]),
    );
    expect(await response.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      replaysRejected: 1,
      unknownTopics: 0,
    });
  });

  test("unknown topics are counted, never an error; verification marks the stream connected", async () => {
    const { t, admin } = await withSecret();
    const response = await post(
      t,
      JSON.stringify([
        { topic: "verification", timestamp: Date.now(), convex, message: "Convex connection test" },
        { topic: "something_new", timestamp: Date.now(), convex },
      ]),
    );
    expect(await response.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      replaysRejected: 0,
      unknownTopics: 1,
    });
    const status = await admin.client.query(api.metrics.webhook.status, {});
    expect(status.deployments[0]?.lastVerificationAt).not.toBeNull();
  });

  test("without a configured secret the webhook answers 503 and stores nothing", async () => {
    const t = await newBackend();
    const response = await post(t, JSON.stringify([execution()]));
    expect(response.status).toBe(503);
  });

  test("after a rotation, batches signed with the previous secret still verify", async () => {
    const { t, admin } = await withSecret();
    await admin.client.mutation(api.metrics.webhook.setSecret, {
      secret: "fedcba9876543210fedcba9876543210",
    });
    const response = await post(t, JSON.stringify([execution()]));
    expect(response.status).toBe(200);
    const status = await admin.client.query(api.metrics.webhook.status, {});
    expect(status.secret?.previousValidUntil).toBeGreaterThan(Date.now());
  });

  function slowLine(requestId: string) {
    return {
      topic: "console",
      timestamp: Date.now() - 500,
      convex,
      function: { path: "tasks:list", type: "query", request_id: requestId },
      log_level: "WARN",
      message:
        '{"level":"warn","module":"tasks","message":"Slow query detected","correlationId":"1704067200000-a3f2","function":"tasks.list","duration":"37.42ms","dbCalls":15,"docsScanned":342}',
      is_truncated: false,
    };
  }

  async function slowCallsAfter(t: Backend) {
    return await t.run(async (ctx) => ({
      slowCalls: await ctx.db.query("slowCalls").collect(),
      awaiting: (await ctx.db.query("slowLinesAwaitingExecution").collect()).length,
    }));
  }

  const joined = expect.objectContaining({
    durationMs: 40,
    dbCalls: 15,
    docsScanned: 342,
    status: "success",
    correlationId: "1704067200000-a3f2",
    functionType: "query",
  });

  test("a slow-query line first, then its fast execution: one slow call with both halves", async () => {
    const { t } = await withSecret();
    await post(t, JSON.stringify([slowLine("slow-1")]));
    expect((await slowCallsAfter(t)).awaiting).toBe(1);
    const fast = {
      function: { path: "tasks:list", type: "query", request_id: "slow-1" },
      execution_time_ms: 40,
    };
    await post(t, JSON.stringify([execution(fast)]));
    expect(await slowCallsAfter(t)).toEqual({ slowCalls: [joined], awaiting: 0 });
  });

  test("a fast execution first, then its slow-query line: the same single slow call", async () => {
    const { t } = await withSecret();
    const fast = {
      function: { path: "tasks:list", type: "query", request_id: "slow-2" },
      execution_time_ms: 40,
    };
    await post(t, JSON.stringify([execution(fast)]));
    expect((await slowCallsAfter(t)).slowCalls).toEqual([]);
    await post(t, JSON.stringify([slowLine("slow-2")]));
    expect(await slowCallsAfter(t)).toEqual({ slowCalls: [joined], awaiting: 0 });
  });

  test("failures are grouped by function, code and normalised message", async () => {
    const { t } = await withSecret();
    const failure = (id: string, task: string) =>
      execution({
        function: { path: "tasks:update", type: "mutation", request_id: id },
        status: "failure",
        error_message: `Uncaught ConvexError: {"code":"NOT_FOUND","message":"Task ${task} not found"}`,
      });
    await post(t, JSON.stringify([failure("e1", "k57f9ewt2qz"), failure("e2", "k99aa00bb1c")]));
    const groups = await t.run(async (ctx) => await ctx.db.query("errorGroups").collect());
    expect(groups).toEqual([
      expect.objectContaining({
        functionPath: "tasks:update",
        code: "NOT_FOUND",
        count: 2,
        lastRequestId: "e2",
      }),
    ]);
  });
});

describe("webhook secret", () => {
  test("a malformed secret is refused and the stored one kept", async () => {
    const { admin } = await withSecret();
    await expect(
      admin.client.mutation(api.metrics.webhook.setSecret, { secret: "has spaces in it  x" }),
    ).rejects.toThrow(/16 to 256 characters/);
    const status = await admin.client.query(api.metrics.webhook.status, {});
    expect(status.secret?.masked).toBe("••••cdef");
  });
});
