/**
 * `GET /api/v1/get_current_usage` on the local backend: Convex's shape (metrics keyed by Convex's
 * usage-limit metric names, `{unit, usage: {current_day, current_month}}`, and `seedStatus`), the
 * function calls this backend ran, the admin key required, and the console's own parser accepting
 * the answer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { convexToJson } from "convex/values";
import { parseCurrentUsage } from "../../convex/deployment/model/usage.ts";
import { startLocalBackend, type LocalBackend } from "./server.ts";
import { FIXTURE_CONVEX } from "./testSupport.ts";

const ADMIN_KEY = `local|${"ef56".repeat(16)}`;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(): Promise<LocalBackend> {
  const backend = await startLocalBackend({
    convexDir: FIXTURE_CONVEX,
    port: 0,
    sitePort: 0,
    dataDir: null,
    runCrons: false,
    adminKey: ADMIN_KEY,
    log: () => {},
  });
  cleanups.push(() => backend.close());
  return backend;
}

const usageOf = (
  backend: LocalBackend,
  headers: Record<string, string> = { Authorization: `Convex ${ADMIN_KEY}` },
) => fetch(`${backend.url}/api/v1/get_current_usage`, { headers });

describe("get_current_usage", () => {
  it("answers in Convex's shape with the function calls this backend ran today and this month", async () => {
    const backend = await start();
    const before = await usageOf(backend);
    expect(before.status).toBe(200);
    const body = (await before.json()) as {
      metrics: Record<string, { unit: string; usage: { current_day: number; current_month: number } }>;
      seedStatus: string;
    };
    // Only what this backend meters: no history from before it started, nothing it cannot measure.
    expect(Object.keys(body.metrics)).toEqual(["functionCalls"]);
    expect(body.metrics.functionCalls!.unit).toBe("calls");
    expect(body.seedStatus).toBe("failed");
    const parsed = parseCurrentUsage(body);
    expect(parsed.ok).toBe(true);

    for (let run = 0; run < 3; run++) {
      const response = await fetch(`${backend.url}/api/query`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          path: "counters:get",
          args: [convexToJson({ name: `c${run}` })],
          format: "convex_encoded_json",
        }),
      });
      expect(response.ok).toBe(true);
    }
    const after = (await (await usageOf(backend)).json()) as typeof body;
    const calls = (usage: typeof body) => usage.metrics.functionCalls!.usage;
    expect(calls(after).current_day - calls(body).current_day).toBe(3);
    expect(calls(after).current_month - calls(body).current_month).toBe(3);
  });

  it("needs the admin key, as Convex needs a deploy key", async () => {
    const backend = await start();
    expect((await usageOf(backend, {})).status).toBe(401);
    const wrong = await usageOf(backend, { Authorization: `Convex local|${"00".repeat(32)}` });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: expect.any(String) });
  });
});
