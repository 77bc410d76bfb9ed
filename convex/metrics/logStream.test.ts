import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "../_generated/api";
import { signBody } from "./model/logStream";
import { EXAMPLE_EXECUTION } from "./model/logStream.fixtures";
import { backendWithAdmin, newBackend, type Backend } from "../test.helpers";

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
  const { t, admin } = await backendWithAdmin();
  await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
  return { t, admin };
}

async function postSignedWith(t: Backend, secret: string) {
  const body = JSON.stringify([execution({ function: { path: "x:y", type: "query", request_id: secret } })]);
  return (await post(t, body, await signBody(secret, new TextEncoder().encode(body)))).status;
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
    const status = await admin.client.query(api.metrics.webhookSecrets.status, {});
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
    const status = await admin.client.query(api.metrics.webhookSecrets.status, {});
    expect(status.deployments[0]?.lastVerificationAt).not.toBeNull();
  });

  test("without a configured secret the webhook answers 503 and stores nothing", async () => {
    const t = await newBackend();
    const response = await post(t, JSON.stringify([execution()]));
    expect(response.status).toBe(503);
  });

  test("after a rotation, batches signed with the previous secret still verify", async () => {
    const { t, admin } = await withSecret();
    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, {
      secret: "fedcba9876543210fedcba9876543210",
    });
    const response = await post(t, JSON.stringify([execution()]));
    expect(response.status).toBe(200);
    const status = await admin.client.query(api.metrics.webhookSecrets.status, {});
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
      admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: "has spaces in it  x" }),
    ).rejects.toThrow(/16 to 256 characters/);
    const status = await admin.client.query(api.metrics.webhookSecrets.status, {});
    expect(status.secret?.masked).toBe("••••cdef");
  });
});

describe("webhook secret retirement", () => {
  const ENV_SECRET = "env0123456789abcdef0123456789abcd";
  const NEW_SECRET = "fedcba9876543210fedcba9876543210";
  const FORGED = "not-the-secret-0123456789abcdefff";
  const HOUR = 3_600_000;

  afterEach(() => {
    delete process.env.LOG_STREAM_WEBHOOK_SECRET;
    vi.useRealTimers();
  });

  test("the environment secret verifies until an admin sets one in Settings, then only for 24 hours", async () => {
    process.env.LOG_STREAM_WEBHOOK_SECRET = ENV_SECRET;
    vi.useFakeTimers({ toFake: ["Date"] });
    const { t, admin } = await backendWithAdmin();
    expect(await postSignedWith(t, ENV_SECRET)).toBe(200);
    expect(await postSignedWith(t, FORGED)).toBe(401);

    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
    expect(await postSignedWith(t, SECRET)).toBe(200);
    expect(await postSignedWith(t, ENV_SECRET)).toBe(200);

    vi.setSystemTime(Date.now() + 24 * HOUR + 60_000);
    expect(await postSignedWith(t, SECRET)).toBe(200);
    expect(await postSignedWith(t, ENV_SECRET)).toBe(401);
    expect(await postSignedWith(t, FORGED)).toBe(401);
  });

  test("after a rotation only the new secret and, for 24 hours, the previous one verify", async () => {
    process.env.LOG_STREAM_WEBHOOK_SECRET = ENV_SECRET;
    vi.useFakeTimers({ toFake: ["Date"] });
    const { t, admin } = await withSecret();
    vi.setSystemTime(Date.now() + 25 * HOUR);
    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: NEW_SECRET });
    expect(await postSignedWith(t, NEW_SECRET)).toBe(200);
    expect(await postSignedWith(t, SECRET)).toBe(200);
    expect(await postSignedWith(t, ENV_SECRET)).toBe(401);
    expect(await postSignedWith(t, FORGED)).toBe(401);

    vi.setSystemTime(Date.now() + 24 * HOUR + 60_000);
    expect(await postSignedWith(t, NEW_SECRET)).toBe(200);
    expect(await postSignedWith(t, SECRET)).toBe(401);
    expect(await postSignedWith(t, ENV_SECRET)).toBe(401);
  });

  test("Settings lists exactly the secrets accepted now, masked, with until when", async () => {
    process.env.LOG_STREAM_WEBHOOK_SECRET = ENV_SECRET;
    const { admin } = await backendWithAdmin();
    const before = await admin.client.query(api.metrics.webhookSecrets.status, {});
    expect(before.accepted).toEqual([{ which: "environment", masked: "••••abcd", until: null }]);

    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: NEW_SECRET });
    const after = await admin.client.query(api.metrics.webhookSecrets.status, {});
    const inADay = expect.any(Number);
    expect(after.accepted).toEqual([
      { which: "current", masked: "••••3210", until: null },
      { which: "previous", masked: "••••cdef", until: inADay },
      { which: "environment", masked: "••••abcd", until: inADay },
    ]);
    for (const entry of after.accepted) {
      if (entry.until !== null) expect(entry.until - Date.now()).toBeGreaterThan(23 * HOUR);
    }
    const text = JSON.stringify(after);
    for (const secret of [ENV_SECRET, SECRET, NEW_SECRET]) expect(text).not.toContain(secret);
  });
});

describe("every documented topic", () => {
  test("one event of each topic, as Convex sends it, lands where it should and none counts as unknown", async () => {
    const { t, admin } = await withSecret();
    const now = Date.now() - 2000;
    const base = { convex, timestamp: now };
    const events = [
      { ...base, topic: "verification", message: "Convex connection test" },
      {
        ...base,
        topic: "console",
        function: { path: "tasks:list", type: "query", request_id: "req-console" },
        log_level: "INFO",
        message: "listing tasks",
        is_truncated: false,
      },
      execution({
        timestamp: now,
        function: { path: "tasks:list", type: "query", cached: false, request_id: "r1" },
      }),
      { ...base, topic: "scheduler_stats", lag_seconds: 1.5, num_running_jobs: 2 },
      {
        ...base,
        topic: "concurrency_stats",
        query: { num_running: 4, num_queued: 0 },
        mutation: { num_running: 2, num_queued: 1 },
        action: { num_running: 1, num_queued: 0 },
        node_action: { num_running: 0, num_queued: 0 },
        http_action: { num_running: 3, num_queued: 0 },
      },
      {
        ...base,
        topic: "current_storage_usage",
        total_document_size_bytes: 1000,
        total_index_size_bytes: 200,
        total_file_storage_bytes: 3000,
        total_vector_storage_bytes: 0,
        total_text_storage_bytes: 0,
        total_backup_storage_bytes: 50,
      },
      {
        ...base,
        topic: "storage_api_bandwidth",
        storage_id: "kg2e7sh6rb8ehpxj4zj0xhgt7h6yzvfg",
        egress_bytes: 4096,
      },
      {
        ...base,
        topic: "audit_log",
        audit_log_action: "push_config",
        audit_log_metadata: JSON.stringify({ modules: { added: ["tasks.js"] } }),
      },
    ];
    const response = await post(t, JSON.stringify(events));
    expect(await response.json()).toEqual({
      accepted: 8,
      duplicates: 0,
      replaysRejected: 0,
      unknownTopics: 0,
    });

    const stored = await t.run(async (ctx) => ({
      consoleLines: (await ctx.db.query("consoleLines").collect()).map((line) => line.message),
      executions: (await ctx.db.query("executions").collect()).map((row) => row.requestId),
      gauges: Object.fromEntries(
        (await ctx.db.query("gauges").collect()).map((gauge) => [gauge.metric, gauge.value]),
      ),
      bandwidth: (await ctx.db.query("storageBandwidth").collect()).map((row) => [
        row.deployment,
        row.egressBytes,
      ]),
    }));
    expect(stored.consoleLines).toEqual(["listing tasks"]);
    expect(stored.executions).toEqual(["r1"]);
    expect(stored.gauges).toMatchObject({
      lag_seconds: 1.5,
      num_running_jobs: 2,
      "concurrency.query.num_running": 4,
      "concurrency.mutation.num_queued": 1,
      "concurrency.http_action.num_running": 3,
      total_document_size_bytes: 1000,
      total_backup_storage_bytes: 50,
    });
    expect(stored.bandwidth).toEqual([["tall-sheep-123", 4096]]);
    const markers = await admin.client.query(api.metrics.deploys.markers, {
      deployment: "tall-sheep-123",
      from: now - 60_000,
      to: now + 60_000,
    });
    expect(markers).toEqual([expect.objectContaining({ ts: now })]);
    const status = await admin.client.query(api.metrics.webhookSecrets.status, {});
    expect(status.deployments[0]).toMatchObject({ eventsAccepted: 8, unknownTopics: 0 });
    expect(status.deployments[0]?.lastVerificationAt).toBe(now);
  });

  test("deploy markers are only push_config events of that deployment inside the range", async () => {
    const { t, admin } = await withSecret();
    const now = Date.now() - 2000;
    const audit = (action: string, timestamp: number, deployment = convex) => ({
      topic: "audit_log",
      timestamp,
      convex: deployment,
      audit_log_action: action,
      audit_log_metadata: "{}",
    });
    await post(
      t,
      JSON.stringify([
        audit("push_config", now - 10_000),
        audit("update_environment_variables", now - 5000),
        audit("push_config", now - 1000, { ...convex, deployment_name: "other-dog-1" }),
        audit("push_config", now),
      ]),
    );
    const markers = await admin.client.query(api.metrics.deploys.markers, {
      deployment: "tall-sheep-123",
      from: now - 8000,
      to: now + 1000,
    });
    expect(markers.map((marker) => marker.ts)).toEqual([now]);
  });

  test("a 1 MB function path or deployment name is stored capped, in every table", async () => {
    const { t } = await withSecret();
    const huge = "p".repeat(1024 * 1024);
    const long = "q".repeat(100 * 1024);
    await post(
      t,
      JSON.stringify([
        execution({
          convex: { ...convex, deployment_name: `d${huge}` },
          function: { path: huge, type: "mutation", request_id: "big-1" },
          status: "failure",
          error_message: long,
          execution_time_ms: 5000,
        }),
        {
          topic: "console",
          timestamp: Date.now() - 1000,
          convex,
          function: { path: long, type: "mutation", request_id: long },
          log_level: long,
          message: long,
        },
      ]),
    );
    const longestStored = await t.run(async (ctx) => {
      const tables = [
        "watchedDeployments",
        "executions",
        "consoleLines",
        "rollups",
        "slowCalls",
        "errorGroups",
      ] as const;
      let longest = 0;
      for (const table of tables) {
        for (const row of await ctx.db.query(table).collect()) {
          for (const value of Object.values(row)) {
            if (typeof value === "string") longest = Math.max(longest, value.length);
          }
        }
      }
      return longest;
    });
    expect(longestStored).toBeGreaterThan(0);
    expect(longestStored).toBeLessThanOrEqual(4096);
  });

  test("a huge execution time is clamped: rollup sums stay finite", async () => {
    const { t } = await withSecret();
    await post(
      t,
      "[" +
        JSON.stringify(execution()).replace('"execution_time_ms":294', '"execution_time_ms":1e308') +
        "," +
        JSON.stringify(
          execution({ function: { path: "tasks:list", type: "query", request_id: "r2" } }),
        ).replace('"execution_time_ms":294', '"execution_time_ms":1e308') +
        "]",
    );
    const rollups = await t.run(async (ctx) => await ctx.db.query("rollups").collect());
    expect(rollups.length).toBeGreaterThan(0);
    for (const rollup of rollups) {
      expect(Number.isFinite(rollup.durationSumMs)).toBe(true);
      expect(Number.isFinite(rollup.maxDurationMs)).toBe(true);
    }
  });

  test("a deployment whose events were all rejected does not show 1970 as its first event", async () => {
    const { t, admin } = await withSecret();
    const stale = execution({
      convex: { ...convex, deployment_name: "late-clock-9" },
      timestamp: Date.now() - 60 * 60_000,
    });
    const response = await post(t, JSON.stringify([stale]));
    expect(await response.json()).toMatchObject({ accepted: 0, replaysRejected: 1 });
    const status = await admin.client.query(api.metrics.webhookSecrets.status, {});
    for (const deployment of status.deployments) {
      expect(deployment.firstEventAt).toBeGreaterThan(Date.now() - 24 * 3_600_000);
      expect(deployment.lastEventAt).toBeGreaterThan(Date.now() - 24 * 3_600_000);
    }
  });
});
