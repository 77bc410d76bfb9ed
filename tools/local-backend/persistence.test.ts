/**
 * Persistence and restarts: data survives a restart, clients reconnect on their own, pending
 * scheduled jobs run after the next start, --reset starts empty, files survive, and SIGKILL at
 * any moment never leaves a store that fails to load.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { mutationRef, queryRef, spawnBackend, tempDir, waitFor, type RunningBackend } from "./testSupport.ts";

const q = queryRef;
const m = mutationRef;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(
  dataDir: string,
  extra: Parameters<typeof spawnBackend>[0] = {},
): Promise<RunningBackend> {
  const backend = await spawnBackend({ dataDir, crons: false, ...extra });
  cleanups.push(() => backend.kill());
  return backend;
}

describe("persistence", { timeout: 60_000 }, () => {
  it("keeps data across a restart and the client reconnects by itself", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const first = await start(dir.path);
    const client = new ConvexClient(first.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      skipConvexDeploymentUrlCheck: true,
      logger: false,
    });
    cleanups.push(() => client.close());
    let list: { body: string }[] | undefined;
    client.onUpdate(q("messages:list"), {}, (v: unknown) => (list = v as { body: string }[]));
    await client.mutation(m("messages:send"), { author: "a", body: "before restart" });
    await waitFor(() => list?.length === 1, 5000, "first write");
    expect(await first.stop()).toBe(0);

    const second = await start(dir.path, { port: first.port, sitePort: first.sitePort });
    const http = new ConvexHttpClient(second.url);
    expect(((await http.query(q("messages:list"), {})) as { body: string }[]).map((x) => x.body)).toEqual([
      "before restart",
    ]);
    // The same ConvexClient reconnects and its subscription keeps working.
    await http.mutation(m("messages:send"), { author: "b", body: "after restart" });
    await waitFor(() => list?.length === 2, 20_000, "update after reconnect");
    const viaWs = await client.mutation(m("messages:send"), { author: "a", body: "from reconnected client" });
    expect(typeof viaWs).toBe("string");
    await waitFor(() => list?.length === 3, 5000, "third write");
    // Ids continue after the restart instead of colliding.
    expect(new Set((list as unknown as { _id: string }[]).map((x) => x._id)).size).toBe(3);
  });

  it("runs scheduled jobs that were pending at shutdown after the next start", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const first = await start(dir.path);
    const http = new ConvexHttpClient(first.url);
    await http.mutation(m("messages:scheduleSend"), { body: "later", delayMs: 1500 });
    await first.stop();
    const second = await start(dir.path);
    const http2 = new ConvexHttpClient(second.url);
    expect(await http2.query(q("messages:count"), {})).toBe(0);
    await waitFor(
      async () => (await http2.query(q("messages:count"), {})) === 1,
      10_000,
      "scheduled job after restart",
    );
  });

  it("--reset starts empty; files survive a restart", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const first = await start(dir.path);
    const http = new ConvexHttpClient(first.url);
    await http.mutation(m("messages:send"), { author: "a", body: "x" });
    const uploadUrl = (await http.mutation(m("files:generateUploadUrl"), {})) as string;
    const { storageId } = (await (
      await fetch(uploadUrl, {
        method: "POST",
        body: "persisted bytes",
        headers: { "Content-Type": "text/plain" },
      })
    ).json()) as { storageId: string };
    await http.mutation(m("files:save"), { storageId, name: "f" });
    await first.stop();

    const second = await start(dir.path);
    const files = (await new ConvexHttpClient(second.url).query(q("files:list"), {})) as { url: string }[];
    expect(files).toHaveLength(1);
    expect(await (await fetch(files[0]!.url)).text()).toBe("persisted bytes");
    await second.stop();

    const third = await start(dir.path, { reset: true });
    const http3 = new ConvexHttpClient(third.url);
    expect(await http3.query(q("messages:count"), {})).toBe(0);
    expect(await http3.query(q("files:list"), {})).toEqual([]);
  });

  it("never corrupts the store when killed at any moment", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    let acknowledged = 0;
    for (let round = 0; round < 6; round++) {
      const backend = await start(dir.path);
      const http = new ConvexHttpClient(backend.url);
      const count = (await http.query(q("messages:count"), {})) as number;
      // Everything acknowledged more than a save interval before the previous kill is there,
      // and nothing invented.
      expect(count).toBeLessThanOrEqual(acknowledged);
      acknowledged = count;
      const writer = (async () => {
        for (;;) {
          await http.mutation(m("big:fill"), { count: 3, size: 2000 }).catch(() => null);
          const ok = await http
            .mutation(m("messages:send"), { author: "k", body: `round ${round}` })
            .then(() => true)
            .catch(() => false);
          if (!ok) return;
          acknowledged += 1;
        }
      })();
      await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 800)));
      await backend.kill();
      await writer;
    }
    const final = await start(dir.path);
    expect((await new ConvexHttpClient(final.url).query(q("messages:count"), {})) as number).toBeGreaterThan(
      0,
    );
    expect(readdirSync(dir.path).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(existsSync(join(dir.path, "db.json"))).toBe(true);
  });
});
