import { expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { ingestEvents } from "../metrics/ingest.helpers";
import { newBackend, signUp, type Backend } from "../test.helpers";

const MINUTE = 60_000;
const DEPLOY = Date.UTC(2026, 10, 22, 12, 0, 30);
const convex = {
  deployment_name: "prod-f",
  deployment_type: "prod",
  project_name: "app",
  project_slug: "app",
};
let sequence = 0;

function call(ts: number, path: string, durationMs: number, failed = false, reads = 3): RawLogEvent {
  sequence += 1;
  return {
    topic: "function_execution",
    timestamp: ts,
    convex,
    function: { path, type: "query", cached: false, request_id: `f-${sequence}` },
    execution_time_ms: durationMs,
    status: failed ? "failure" : "success",
    error_message: failed ? "Uncaught Error: Boom" : null,
    usage: { database_read_documents: reads },
  };
}

async function ingest(t: Backend, events: RawLogEvent[], receivedAt: number) {
  await t.run(async (ctx) => ingestEvents(ctx, { digest: `f-${++sequence}`, events }, receivedAt));
}

/** Convex's audit event for a push, by `memberEmail` when given. */
function pushConfig(ts: number, memberEmail?: string): RawLogEvent {
  return {
    topic: "audit_log",
    timestamp: ts,
    convex,
    audit_log_action: "push_config",
    audit_log_metadata: memberEmail === undefined ? "{}" : JSON.stringify({ member_email: memberEmail }),
  };
}

/** Ten minutes either side of a deploy at DEPLOY, each minute's calls from `callsOf` (after: minute > 0). */
async function aroundDeploy(t: Backend, callsOf: (at: number, after: boolean) => RawLogEvent[]) {
  for (let minute = -10; minute <= 10; minute++) {
    const at = DEPLOY + minute * MINUTE;
    const events = callsOf(at, minute > 0);
    if (minute === 0) events.push(pushConfig(DEPLOY, "dev@example.com"));
    await ingest(t, events, at + 100);
  }
}

/** Ten minutes of traffic either side of a deploy; after it, `tasks:list` is ten times slower. */
async function deployWithRegression(t: Backend) {
  await aroundDeploy(t, (at, after) => [
    ...Array.from({ length: 10 }, (_, i) => call(at + i, "tasks:list", after ? 200 + i : 20 + i)),
    ...Array.from({ length: 10 }, (_, i) => call(at + i, "tasks:get", 15 + i)),
    call(at, after ? "tasks:new" : "tasks:old", 5),
  ]);
}

async function runVerdicts(t: Backend, now: number) {
  await t.mutation(internal.functions.functions.startDueVerdicts, { now });
  const verdicts = await t.run(async (ctx) => await ctx.db.query("deployVerdicts").collect());
  for (const verdict of verdicts) {
    for (let chunk = 0; chunk < 20; chunk++) {
      await t.mutation(internal.functions.functions.computeVerdict, { verdictId: verdict._id });
    }
  }
}

/** The verdicts run once the deploy's window closed; its list entry and detail as a viewer sees them. */
async function verdictAfterWindow(t: Backend, viewer: Pick<Backend, "query">) {
  await runVerdicts(t, DEPLOY + 12 * MINUTE);
  const listed = await viewer.query(api.functions.functions.deploys, {
    deployment: "prod-f",
    now: DEPLOY + 12 * MINUTE,
  });
  const detail = (await viewer.query(api.functions.functions.deploy, {
    deployment: "prod-f",
    deployTs: DEPLOY,
  }))!;
  return { listed, detail };
}

test(
  "a deploy is watched while its window is open, then flags the function that slowed",
  { timeout: 30_000 },
  async () => {
    const t = await newBackend();
    const viewer = (await signUp(t, "admin@example.com")).client;
    await deployWithRegression(t);

    const watching = await viewer.query(api.functions.functions.deploys, {
      deployment: "prod-f",
      now: DEPLOY + 4 * MINUTE,
    });
    expect(watching.deploys).toEqual([
      expect.objectContaining({ ts: DEPLOY, author: "dev@example.com", state: "watching", minutesLeft: 7 }),
    ]);
    // The after side's last minute ends at DEPLOY + 10.5 min; its batches get 10 s more to arrive.
    const lastWatched = await viewer.query(api.functions.functions.deploys, {
      deployment: "prod-f",
      now: DEPLOY + 10 * MINUTE + 39_000,
    });
    expect(lastWatched.deploys[0]).toMatchObject({ state: "watching", minutesLeft: 1 });
    // Nothing is judged before the window closes.
    await runVerdicts(t, DEPLOY + 4 * MINUTE);
    expect(
      await viewer.query(api.functions.functions.deploy, { deployment: "prod-f", deployTs: DEPLOY }),
    ).toBeNull();

    const { listed, detail } = await verdictAfterWindow(t, viewer);
    expect(listed.deploys[0]).toMatchObject({
      state: "done",
      regressions: [{ functionPath: "tasks:list", kinds: ["p95"] }],
      newFunctions: 1,
      goneFunctions: 1,
    });
    const byPath = Object.fromEntries(detail.functions.map((row) => [row.functionPath, row]));
    expect(byPath["tasks:list"]!.before.calls).toBe(100);
    expect(byPath["tasks:list"]!.after.p95Ms!).toBeGreaterThan(150);
    expect(byPath["tasks:get"]!.regressions).toEqual([]);
    expect(byPath["tasks:new"]!.status).toBe("new");
    expect(byPath["tasks:old"]!.status).toBe("gone");
  },
);

test(
  "a deploy after which a function reads ten times the documents is flagged for reads, through ingest's rollups",
  { timeout: 30_000 },
  async () => {
    const t = await newBackend();
    const viewer = (await signUp(t, "admin@example.com")).client;
    await aroundDeploy(t, (at, after) => [
      // tasks:search reads 20–24 documents a call before the deploy, 200–240 after.
      ...Array.from({ length: 10 }, (_, i) =>
        call(at + i, "tasks:search", 20 + i, false, (after ? 10 : 1) * (20 + (i % 5))),
      ),
      ...Array.from({ length: 10 }, (_, i) => call(at + i, "tasks:get", 15 + i, false, 2 + (i % 7))),
    ]);
    const { listed, detail } = await verdictAfterWindow(t, viewer);
    expect(listed.deploys[0]).toMatchObject({
      state: "done",
      regressions: [{ functionPath: "tasks:search", kinds: ["readDocuments"] }],
    });
    const search = detail.functions.find((row) => row.functionPath === "tasks:search")!;
    expect(search.before.readsPerCall).toBe(22);
    expect(search.after.readsPerCall).toBe(220);
    // Welch's z from the rollups' sums: sample variances 200/99 and 20,000/99 over 100 calls a side.
    expect(search.readsZ).toBeCloseTo(198 / Math.sqrt((200 / 99 + 20_000 / 99) / 100), 6);
  },
);

test(
  "a function page shows percentiles inside [min, max], its deploys and its slowest calls",
  { timeout: 30_000 },
  async () => {
    const t = await newBackend();
    const viewer = (await signUp(t, "admin@example.com")).client;
    await deployWithRegression(t);
    await ingest(t, [call(DEPLOY + 10 * MINUTE, "tasks:list", 5000, true)], DEPLOY + 10 * MINUTE);
    const page = await viewer.query(api.functions.functions.functionPage, {
      deployment: "prod-f",
      functionPath: "tasks:list",
      range: "1h",
      now: DEPLOY + 11 * MINUTE,
    });
    expect(page.totals.calls).toBe(211);
    expect(page.deploys).toEqual([{ ts: DEPLOY }]);
    for (const point of page.points) {
      expect(point.p99Ms!).toBeLessThanOrEqual(5000);
      expect(point.p50Ms!).toBeGreaterThanOrEqual(20);
    }
    const before = page.points.find((point) => point.bucket === DEPLOY - 30_000 - 5 * MINUTE)!;
    const after = page.points.find((point) => point.bucket === DEPLOY - 30_000 + 5 * MINUTE)!;
    expect(after.p95Ms!).toBeGreaterThan(5 * before.p95Ms!);
    // The jump at the deploy, over the verdict's ten minutes either side.
    // (the failing 5 s call at +10 min is inside the after side).
    expect(page.aroundLastDeploy).toMatchObject({
      ts: DEPLOY,
      before: { calls: 100 },
      after: { calls: 101 },
    });
    expect(page.aroundLastDeploy!.after.p95Ms!).toBeGreaterThan(5 * page.aroundLastDeploy!.before.p95Ms!);
    expect(page.errorGroups).toEqual([expect.objectContaining({ count: 1 })]);
    expect(page.slowestCalls[0]).toMatchObject({ durationMs: 5000 });
  },
);

test("a deploy posted through the log stream starts its own verdict when its window closes", async () => {
  const t = await newBackend();
  const viewer = (await signUp(t, "admin@example.com")).client;
  const deployTs = Date.now() - 5 * MINUTE;
  await ingest(t, [pushConfig(deployTs)], Date.now());
  const scheduled = async () =>
    await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) =>
        job.name.includes("startVerdict"),
      ),
    );
  // Ingest asks at once; the first start finds the window open and comes back at its close.
  let jobs = await scheduled();
  for (let tries = 0; tries < 50 && jobs.length < 2; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    jobs = await scheduled();
  }
  const closesAt = Math.floor(deployTs / MINUTE) * MINUTE + 11 * MINUTE + 10_000;
  expect(jobs.map((job) => [job.args[0], job.state.kind])).toContainEqual([
    { deployment: "prod-f", deployTs },
    "pending",
  ]);
  const pending = jobs.find((job) => job.state.kind === "pending")!;
  expect(Math.abs(pending.scheduledTime - closesAt)).toBeLessThan(5_000);
  const listed = await viewer.query(api.functions.functions.deploys, {
    deployment: "prod-f",
    now: Date.now(),
  });
  expect(listed.deploys[0]).toMatchObject({ state: "watching" });
});

test(
  "a mutation's page counts write conflicts by table and document from occ_info, and shows the scheduler lag Convex reports",
  { timeout: 30_000 },
  async () => {
    const t = await newBackend();
    const viewer = (await signUp(t, "admin@example.com")).client;
    const attempt = (ts: number, documentId: string, willRetry: boolean, table = "tasks"): RawLogEvent => ({
      ...call(ts, "tasks:update", 12, true),
      function: { path: "tasks:update", type: "mutation", cached: false, request_id: `occ-${++sequence}` },
      error_message: `Documents read from or written to the "${table}" table changed while this mutation was being run`,
      occ_info: {
        table_name: table,
        document_id: documentId,
        write_source: null,
        component_path: null,
        retry_count: 1,
      },
      will_retry: willRetry,
    });
    const at = DEPLOY + 2 * MINUTE;
    await ingest(
      t,
      [
        attempt(at, "doc-hot", true),
        attempt(at + 1, "doc-hot", true),
        attempt(at + 2, "doc-hot", false),
        attempt(at + 3, "doc-cold", true),
        attempt(at + 4, "user-1", false, "users"),
        {
          ...call(at + 5, "tasks:update", 10),
          function: { path: "tasks:update", type: "mutation", cached: false, request_id: "update-ok" },
        },
        { topic: "scheduler_stats", timestamp: at, convex, lag_seconds: 42, num_running_jobs: 3 },
      ],
      at + 100,
    );
    // A second batch adds to the same hour's row.
    await ingest(t, [attempt(at + MINUTE, "doc-hot", true)], at + MINUTE + 100);
    const page = await viewer.query(api.functions.functions.functionPage, {
      deployment: "prod-f",
      functionPath: "tasks:update",
      range: "1h",
      now: at + 5 * MINUTE,
    });
    expect(page.functionType).toBe("mutation");
    expect(page.conflicts).toEqual({
      byTable: [
        { table: "tasks", retries: 4, failures: 1 },
        { table: "users", retries: 0, failures: 1 },
      ],
      byDocument: [
        { table: "tasks", documentId: "doc-hot", retries: 3, failures: 1 },
        { table: "tasks", documentId: "doc-cold", retries: 1, failures: 0 },
        { table: "users", documentId: "user-1", retries: 0, failures: 1 },
      ],
      truncated: false,
    });
    expect(page.schedulerLag).toEqual([{ bucket: Math.floor(at / MINUTE) * MINUTE, maxSeconds: 42 }]);
    // A query neither conflicts nor is scheduled: neither section is sent.
    const query = await viewer.query(api.functions.functions.functionPage, {
      deployment: "prod-f",
      functionPath: "tasks:list",
      range: "1h",
      now: at + 5 * MINUTE,
    });
    expect(query.conflicts).toBeNull();
  },
);
