import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseLogStreamBody } from "../../convex/metrics/model/logStream.ts";
import { generateAuthKeys } from "../local-backend/authKeys.ts";
import { spawnBackend, type RunningBackend } from "../local-backend/testSupport.ts";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeBatch, parseOptions, percentile, runLoad, splitIntoBatches, summaryLines } from "./loadgen.ts";
import { generateTraffic } from "../../convex/metrics/model/demoTraffic.ts";

const SECRET = "0123456789abcdef0123456789abcdef";

describe("options", () => {
  test("defaults, and a secret is required", () => {
    const options = parseOptions([], { LOG_STREAM_WEBHOOK_SECRET: SECRET });
    expect(options).toMatchObject({ perMinute: 600, durationSeconds: 60, format: "json", secret: SECRET });
    expect(() => parseOptions(["--rate", "0"], { LOG_STREAM_WEBHOOK_SECRET: SECRET })).toThrow(/--rate/);
    expect(() => parseOptions(["--bogus", "1"], { LOG_STREAM_WEBHOOK_SECRET: SECRET })).toThrow(
      /Unknown option --bogus/,
    );
  });
});

describe("batches", () => {
  const from = Date.UTC(2026, 10, 22, 9, 0);
  const events = generateTraffic({ from, to: from + 60_000, perMinute: 400, seed: 3 });

  test("never exceed Convex's 128 events and keep every event", () => {
    const batches = splitIntoBatches(events);
    expect(batches.every((batch) => batch.length <= 128)).toBe(true);
    expect(batches.flat()).toEqual(events);
  });

  test.each(["json", "jsonl"] as const)("encode as %s the way the webhook parses them", (format) => {
    const batch = splitIntoBatches(events)[0]!;
    expect(parseLogStreamBody(encodeBatch(batch, format))).toEqual({ ok: true, events: batch });
  });
});

describe("against a running backend", () => {
  let backend: RunningBackend;

  beforeAll(async () => {
    const keys = await generateAuthKeys();
    backend = await spawnBackend({
      convexDir: join(import.meta.dirname, "../../convex"),
      crons: false,
      env: {
        JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY,
        JWKS: keys.JWKS,
        SITE_URL: "http://127.0.0.1",
        LOG_STREAM_WEBHOOK_SECRET: SECRET,
      },
      timeoutMs: 60_000,
    });
  }, 90_000);

  afterAll(async () => {
    await backend?.stop();
  });

  test("every generated event is accepted once, and re-sent batches count as duplicates", async () => {
    const options = {
      ...parseOptions(["--duration", "3", "--rate", "900", "--format", "jsonl"], {
        LOG_STREAM_WEBHOOK_SECRET: SECRET,
      }),
      siteUrl: backend.siteUrl,
      convexUrl: backend.url,
      retryShare: 1,
    };
    const totals = await runLoad(options, () => {});
    expect(totals.httpErrors).toBe(0);
    expect(totals.events).toBeGreaterThan(20);
    expect(totals.accepted).toBe(totals.events);
    expect(totals.duplicates).toBe(totals.events);
  }, 30_000);

  test("a wrong secret is refused with 401 and counted as an HTTP error", async () => {
    const options = {
      ...parseOptions(["--duration", "2", "--rate", "600"], {
        LOG_STREAM_WEBHOOK_SECRET: "not-the-secret-at-all",
      }),
      siteUrl: backend.siteUrl,
      convexUrl: backend.url,
      retryShare: 0,
    };
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      const totals = await runLoad(options, () => {});
      expect(totals.accepted).toBe(0);
      expect(totals.httpErrors).toBe(totals.requests);
    } finally {
      console.error = original;
    }
    expect(errors[0]).toMatch(/answered 401/);
  }, 30_000);
});

describe("a backend slower than the rate asked", () => {
  test("the run still ends at --duration and says what it sent, did not send, and the latencies", async () => {
    // A webhook that takes 1.5 s per batch: far slower than 3000 executions a minute need.
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () =>
        setTimeout(() => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ accepted: 128, duplicates: 0, replaysRejected: 0 }));
        }, 1500),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const options = {
        ...parseOptions(["--duration", "4", "--rate", "6000", "--concurrency", "2"], {
          LOG_STREAM_WEBHOOK_SECRET: SECRET,
        }),
        siteUrl,
        retryShare: 0,
      };
      const started = Date.now();
      const totals = await runLoad(options, () => {});
      expect(Date.now() - started).toBeLessThan(4600);
      expect(totals.latenciesMs.length).toBeGreaterThan(0);
      expect(Math.min(...totals.latenciesMs)).toBeGreaterThanOrEqual(1400);
      expect(totals.unanswered).toBeGreaterThan(0);
      expect(totals.eventsNotSent).toBeGreaterThan(0);
      const [sent, latency] = summaryLines(totals);
      expect(sent).toMatch(/events_sent=\d+ events_not_sent=[1-9]\d* /);
      expect(latency).toMatch(/^webhook_p50_ms=1[45]\d\d\.\d webhook_p95_ms=\d+\.\d webhook_p99_ms=\d+\.\d$/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 15_000);

  test("percentiles by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([], 50)).toBeNull();
  });
});

describe("a deploy's before and after", () => {
  test("--backfill sends a span that ended in the past at once; --slow makes one function slower", async () => {
    const received: Array<{ timestamp: number; path?: string; ms?: number }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const events = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Array<{
          topic: string;
          timestamp: number;
          function?: { path: string };
          execution_time_ms?: number;
        }>;
        for (const event of events)
          if (event.topic === "function_execution")
            received.push({
              timestamp: event.timestamp,
              path: event.function?.path,
              ms: event.execution_time_ms,
            });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ accepted: events.length, duplicates: 0, replaysRejected: 0 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = async (extra: string[]) => {
        received.length = 0;
        const started = Date.now();
        await runLoad(
          {
            ...parseOptions(["--backfill", "180", "--duration", "120", "--rate", "600", ...extra], {
              LOG_STREAM_WEBHOOK_SECRET: SECRET,
            }),
            siteUrl,
            retryShare: 0,
          },
          () => {},
        );
        const listMs = received.filter((event) => event.path === "tasks:list").map((event) => event.ms!);
        return { started, ended: Date.now(), timestamps: received.map((event) => event.timestamp), listMs };
      };
      const normal = await run([]);
      // Two minutes of traffic that ended a minute ago: all sent at once, nothing after its end.
      expect(normal.ended - normal.started).toBeLessThan(10_000);
      expect(normal.timestamps.length).toBeGreaterThan(600);
      expect(Math.min(...normal.timestamps)).toBeGreaterThanOrEqual(normal.started - 180_000);
      expect(Math.max(...normal.timestamps)).toBeLessThan(normal.ended - 60_000);
      const slowed = await run(["--slow", "tasks:list", "--slow-factor", "10"]);
      expect(percentile(slowed.listMs, 50)!).toBeGreaterThan(5 * percentile(normal.listMs, 50)!);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 30_000);
});
