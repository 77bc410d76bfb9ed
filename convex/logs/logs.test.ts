import type { FunctionReturnType } from "convex/server";
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import type { RawLogEvent } from "../lib/logEvent";
import { ingestEvents } from "../metrics/ingest.helpers";
import { convexOf, executionEvent as execution } from "../metrics/model/logStream.fixtures";
import { newBackend, signUp, type Backend } from "../test.helpers";
import { LOG_LIMITS } from "./shared";

const NOW = Date.UTC(2026, 11, 3, 12, 0);
const MINUTE = 60_000;
let sequence = 0;

function consoleLine(
  ts: number,
  level: string,
  message: string,
  requestId: string | null = null,
): RawLogEvent {
  return {
    topic: "console",
    timestamp: ts,
    convex: convexOf("prod-a"),
    function: { path: "tasks:list", type: "query", request_id: requestId },
    log_level: level,
    message,
    is_truncated: false,
  };
}

const slowLine = (dbCalls: number) =>
  JSON.stringify({
    level: "warn",
    module: "tasks",
    message: "Slow query detected",
    correlationId: `1704067200000-${dbCalls.toString(16).padStart(4, "0")}`,
    function: "tasks.list",
    duration: "237.42ms",
    dbCalls,
    docsScanned: 342,
  });

/** As Convex delivers: batches of ≤ 128 received as their newest event happens (inside the replay window). */
async function ingest(t: Backend, events: RawLogEvent[], _at?: number) {
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
  let batch: RawLogEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const events = batch;
    const receivedAt = events[events.length - 1]!.timestamp;
    batch = [];
    await t.run(async (ctx) => ingestEvents(ctx, { digest: `batch-${++sequence}`, events }, receivedAt));
  };
  for (const event of sorted) {
    if (batch.length === 128 || (batch.length > 0 && event.timestamp - batch[0]!.timestamp > 2 * MINUTE))
      await flush();
    batch.push(event);
  }
  await flush();
}

type Viewer = Awaited<ReturnType<typeof signUp>>["client"];
type Page = FunctionReturnType<typeof api.logs.logs.search>;

async function page(viewer: Viewer, query: string, extra: Record<string, unknown> = {}) {
  return await viewer.query(api.logs.logs.search, { query, now: NOW, ...extra });
}

/** Every page until the end, as the "older" button would fetch them. */
async function allPages(viewer: Viewer, query: string, extra: Record<string, unknown> = {}) {
  const rows: Page["rows"] = [];
  let cursor: Page["cursor"] = null;
  for (let guard = 0; guard < 200; guard++) {
    const result = await page(viewer, query, { ...extra, cursor });
    rows.push(...result.rows);
    if (result.cursor === null) return rows;
    cursor = result.cursor;
  }
  throw new Error("pagination did not end");
}

/** A small, varied stream: every field has rows that match and rows that do not. */
async function seedVaried(t: Backend) {
  const at = NOW - 30 * MINUTE;
  await ingest(
    t,
    [
      execution(at, "tasks:list", {
        function: { path: "tasks:list", type: "query", cached: true, request_id: "r-cached" },
      }),
      execution(at + 1, "tasks:update", {
        function: { path: "tasks:update", type: "mutation", cached: false, request_id: "r-occ" },
        status: "failure",
        error_message:
          'Documents read from or written to the "tasks" table changed while this mutation was being run',
        occ_info: { table_name: "tasks" },
        usage: { database_read_documents: 2, database_write_documents: 1 },
      }),
      execution(at + 2, "tasks/admin:purge", {
        function: { path: "tasks/admin:purge", type: "action", cached: false, request_id: "r-slow" },
        execution_time_ms: 900,
        usage: { database_read_documents: 60, database_write_documents: 40 },
      }),
      execution(at + 3, "users:get", { convex: convexOf("prod-b") }),
      consoleLine(at + 4, "ERROR", "Task 42 not found", "r-cached"),
      consoleLine(at + 5, "WARN", slowLine(15), "r-slow"),
      consoleLine(at + 6, "WARN", slowLine(60), "r-other"),
      consoleLine(at + 7, "INFO", "cache warmed in 12ms"),
      execution(NOW - 3 * 60 * MINUTE, "tasks:list", {
        function: { path: "tasks:list", type: "query", cached: false, request_id: "r-old-failure" },
        status: "failure",
        error_message: "Uncaught Error: timeout talking to upstream",
      }),
    ],
    NOW,
  );
}

const requestIds = (rows: Page["rows"]) => rows.map((row) => row.requestId).sort();

describe("search: each field filters", () => {
  test.each([
    ["level:error timestamp:>-1h", ["r-cached", "r-occ"]],
    ["level:error", ["r-cached", "r-occ", "r-old-failure"]],
    ['message:"Slow query detected"', ["r-other", "r-slow"]],
    ['function:"tasks.list" level:error', ["r-cached", "r-old-failure"]],
    ["dbCalls:>50", ["r-other"]],
    ["function:tasks:update", ["r-occ"]],
    ["function:tasks.* kind:execution", ["r-cached", "r-occ", "r-old-failure", "r-slow"]],
    ["type:mutation", ["r-occ"]],
    ["kind:console level:warn", ["r-other", "r-slow"]],
    ["status:failure", ["r-occ", "r-old-failure"]],
    ["code:OCC", ["r-occ"]],
    ["requestId:r-slow", ["r-slow", "r-slow"]],
    ["correlationId:1704067200000-000f", ["r-slow"]],
    ["deployment:prod-b", ["req-"]],
    ["duration:>500ms", ["r-slow"]],
    ["docsScanned:>=60 docsScanned:<100", ["r-slow"]],
    ["docsScanned:342", ["r-other", "r-slow"]],
    ["documentsWritten:>0", ["r-occ", "r-slow"]],
    ["cached:true", ["r-cached"]],
    ["timeout", ["r-old-failure"]],
    ["-level:info -level:warn kind:execution", ["r-occ", "r-old-failure"]],
    ["(code:OCC OR dbCalls:>50) timestamp:>-1h", ["r-occ", "r-other"]],
  ])("%s", async (query, expected) => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    await seedVaried(t);
    const ids = requestIds(await allPages(viewer, query));
    if (query === "deployment:prod-b") {
      expect(ids).toHaveLength(1);
      expect(ids[0]).toMatch(/^req-/);
    } else {
      expect(ids).toEqual([...expected].sort());
    }
  });

  test("results are newest first and the message words are searchable however Convex spells them", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    await seedVaried(t);
    const result = await page(viewer, "level:error");
    expect(result.rows.map((row) => row.requestId)).toEqual(["r-cached", "r-occ", "r-old-failure"]);
    expect(result.index).toBe("by_level");
    expect((await page(viewer, "not found")).rows.map((row) => row.message)).toEqual(["Task 42 not found"]);
  });

  test("a query that does not parse is refused with where and why", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    const error = await viewer
      .query(api.logs.logs.search, { query: "dbCalls:>lots", now: NOW })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<{ code: string; message: string }>).data).toMatchObject({
      code: "VALIDATION_ERROR",
      message: expect.stringContaining("Column 10"),
    });
  });
});

describe("index paths answer exactly like a walk in time order", () => {
  test("for a sample of queries, every page with and without the index", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    await seedVaried(t);
    const queries = [
      "level:error timestamp:>-1h",
      'message:"Slow query detected"',
      'function:"tasks.list" level:error',
      "requestId:r-slow",
      "correlationId:1704067200000-003c",
      "deployment:prod-a level:warn",
      "found OR timeout",
      "timeout level:error function:tasks.list",
    ];
    for (const query of queries) {
      const indexed = await allPages(viewer, query, { limit: 2 });
      const walked = await allPages(viewer, query, { limit: 2, noIndex: true });
      expect(
        indexed.map((row) => row._id),
        query,
      ).toEqual(walked.map((row) => row._id));
      expect(indexed.length, query).toBeGreaterThan(0);
    }
  });

  test("an hour with more text matches than one search returns is walked by time, losing none", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    const count = LOG_LIMITS.searchTake + 20;
    const start = NOW - 50 * MINUTE;
    await ingest(
      t,
      Array.from({ length: count }, (_, i) =>
        consoleLine(start + i * 1000, "ERROR", `timeout after ${i} retries`),
      ),
      NOW,
    );
    const rows = await allPages(viewer, "timeout");
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((row) => row._id)).size).toBe(count);
  });

  test(
    "a busy hour is searched by its 5-minute slots: a page reads about what it shows, the same rows as a walk",
    { timeout: 60_000 },
    async () => {
      const t = await newBackend();
      const { client: viewer } = await signUp(t, "admin@example.com");
      // One UTC hour of 1,800 lines, one in six a match: more matches than one search returns.
      const start = NOW - 60 * MINUTE;
      await ingest(
        t,
        Array.from({ length: 1800 }, (_, i) =>
          consoleLine(
            start + i * 2000,
            "INFO",
            i % 6 === 0 ? `timeout after ${i} retries` : `loaded ${i} items`,
          ),
        ),
        NOW,
      );
      const first = await page(viewer, "timeout");
      const walked = await page(viewer, "timeout", { noIndex: true });
      expect(first.rows.map((row) => row._id)).toEqual(walked.rows.map((row) => row._id));
      expect(first.rows).toHaveLength(LOG_LIMITS.pageSize);
      // The hour's search (full) plus the slots that fill the page; walking the hour by time reads ~600.
      expect(first.scanned).toBeLessThan(LOG_LIMITS.searchTake + 2 * LOG_LIMITS.pageSize);
      expect(walked.scanned).toBeGreaterThan(500);
      expect(await allPages(viewer, "timeout")).toHaveLength(300);
    },
  );
});

describe("pagination", () => {
  test("never repeats or skips a row while new events arrive between pages", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    const first = Array.from({ length: 25 }, (_, i) =>
      // Pairs share a millisecond, so ties on ts are broken by creation order, not lost.
      execution(NOW - 40 * MINUTE + Math.floor(i / 2), "tasks:list"),
    );
    await ingest(t, first, NOW);
    const before = (await allPages(viewer, "function:tasks.list")).map((row) => row.requestId);
    expect(before).toHaveLength(25);

    const seen: string[] = [];
    let cursor: Page["cursor"] = null;
    let arrival = 0;
    for (;;) {
      const result = await page(viewer, "function:tasks.list", { cursor, limit: 4 });
      seen.push(...result.rows.map((row) => row.requestId!));
      // Newer events arrive, and a late one older than what was paged, while the user pages.
      arrival += 1;
      await ingest(t, [execution(NOW - 5 * MINUTE + arrival, "tasks:list")], NOW);
      if (result.cursor === null) break;
      cursor = result.cursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(before);
  });

  test("a filter no index serves stops at the scan budget, says how many it read, and continues", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    const total = LOG_LIMITS.scanBudget + 300;
    const events = Array.from({ length: total }, (_, i) =>
      execution(NOW - 60 * MINUTE + i * 100, "tasks:list", i === 10 ? { execution_time_ms: 5000 } : {}),
    );
    await ingest(t, events, NOW);
    const first = await page(viewer, "duration:>1s");
    expect(first.rows).toHaveLength(0);
    expect(first.budgetHit).toBe(true);
    expect(first.scanned).toBe(LOG_LIMITS.scanBudget);
    const second = await page(viewer, "duration:>1s", { cursor: first.cursor });
    expect(second.rows.map((row) => row.requestId)).toHaveLength(1);
    expect(second.budgetHit).toBe(false);
    expect(second.cursor).toBeNull();
  }, 120_000);
});

describe("gaps and the tail", () => {
  test("a deployment that went silent for minutes shows the gap in the results", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    const early = NOW - 20 * MINUTE;
    await ingest(t, [execution(early, "tasks:list"), execution(early + MINUTE, "tasks:list")], NOW);
    await ingest(t, [execution(NOW - 5 * MINUTE, "tasks:list")], NOW);
    const result = await page(viewer, "");
    expect(result.gaps).toEqual([
      {
        deployment: "prod-a",
        from: early + 2 * MINUTE,
        to: NOW - 5 * MINUTE - ((NOW - 5 * MINUTE) % MINUTE),
      },
    ]);
  });

  test("the tail continues by arrival, so late events and deploy markers reach it; non-matches do not", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    await ingest(
      t,
      [execution(NOW - 10 * MINUTE, "tasks:list", { status: "failure", error_message: "boom" })],
      NOW,
    );
    const start = await viewer.query(api.logs.logs.tail, { query: "level:error", now: NOW });
    expect(start.rows.map((row) => row.message)).toEqual(["boom"]);
    await ingest(
      t,
      [
        execution(NOW - 20 * MINUTE, "tasks:list", { status: "failure", error_message: "late failure" }),
        execution(NOW - MINUTE, "tasks:list"),
        {
          topic: "audit_log",
          timestamp: NOW - 30_000,
          convex: convexOf("prod-a"),
          audit_log_action: "push_config",
          audit_log_metadata: "{}",
        },
      ],
      NOW,
    );
    const next = await viewer.query(api.logs.logs.tail, {
      query: "level:error",
      now: NOW,
      after: start.next,
    });
    expect(next.rows.map((row) => [row.kind, row.message])).toEqual([
      ["execution", "late failure"],
      ["deploy", expect.stringContaining("push_config")],
    ]);
    const idle = await viewer.query(api.logs.logs.tail, { query: "level:error", now: NOW, after: next.next });
    expect(idle.rows).toEqual([]);
  });

  test("a row opens its request's timeline: the execution and its console lines", async () => {
    const t = await newBackend();
    const { client: viewer } = await signUp(t, "admin@example.com");
    await seedVaried(t);
    const timeline = await viewer.query(api.logs.logs.requestTimeline, {
      requestId: "r-slow",
      deployment: "prod-a",
    });
    expect(timeline.map((row) => row.kind)).toEqual(["execution", "console"]);
  });
});
