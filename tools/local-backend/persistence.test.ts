/**
 * Persistence and restarts: data survives a restart, clients reconnect on their own, pending
 * scheduled jobs run after the next start, --reset starts empty, files survive, SIGKILL at any
 * moment loses nothing that was acknowledged, the store is owner-only, and an old store migrates.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
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

  it("keeps every acknowledged mutation and webhook batch when killed at a random moment", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const acknowledged = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const backend = await start(dir.path);
      const http = new ConvexHttpClient(backend.url);
      const bodies = new Set(
        ((await http.query(q("messages:list"), {})) as { body: string }[]).map((x) => x.body),
      );
      const lost = [...acknowledged].filter((body) => !bodies.has(body));
      expect(lost, `round ${round}: acknowledged writes missing after SIGKILL`).toEqual([]);

      const sync = new ConvexClient(backend.url, {
        webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
        skipConvexDeploymentUrlCheck: true,
        logger: false,
        unsavedChangesWarning: false,
      });
      let markKilled!: () => void;
      const killed = new Promise<false>((r) => (markKilled = () => r(false)));
      const loop = async (name: string, write: (body: string) => Promise<boolean>) => {
        for (let i = 0; ; i++) {
          const body = `r${round}-${name}-${i}`;
          // A write still open at the kill was never acknowledged (the WebSocket client would retry it).
          const ok = await Promise.race([write(body).catch(() => false), killed]);
          if (!ok) return;
          acknowledged.add(body);
        }
      };
      const writers = [
        ...[0, 1].map((w) =>
          loop(`http${w}`, async (body) => {
            await http.mutation(m("messages:send"), { author: "k", body });
            return true;
          }),
        ),
        loop("ws", async (body) => {
          await sync.mutation(m("messages:send"), { author: "k", body });
          return true;
        }),
        ...[0, 1, 2].map((w) =>
          loop(`hook${w}`, async (body) => {
            const res = await fetch(`${backend.siteUrl}/write`, { method: "POST", body });
            return res.status === 204;
          }),
        ),
      ];
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1200)));
      await backend.kill();
      markKilled();
      await Promise.all(writers);
      await sync.close();
    }
    const final = await start(dir.path);
    const bodies = new Set(
      ((await new ConvexHttpClient(final.url).query(q("messages:list"), {})) as { body: string }[]).map(
        (x) => x.body,
      ),
    );
    expect(acknowledged.size).toBeGreaterThan(50);
    expect([...acknowledged].filter((body) => !bodies.has(body))).toEqual([]);
  });

  it("creates the store owner-only", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const data = join(dir.path, "data");
    const backend = await start(data);
    await new ConvexHttpClient(backend.url).mutation(m("messages:send"), { author: "a", body: "x" });
    expect(statSync(data).mode & 0o777).toBe(0o700);
    const files = readdirSync(data);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const stat = statSync(join(data, file));
      expect(stat.mode & 0o777, file).toBe(stat.isDirectory() ? 0o700 : 0o600);
    }
  });

  it("migrates a db.json store once, files included", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    // A store in the old layout: one whole-store snapshot plus file bodies beside it.
    const now = Date.now();
    const storageId = "10000_storage";
    writeFileSync(
      join(dir.path, "db.json"),
      JSON.stringify({
        format: 1,
        nextDocId: 10002,
        lastCreationTime: now,
        lastCommitTs: String(BigInt(now) * 1_000_000n),
        documents: [
          { _id: storageId, _creationTime: now - 1, size: 9, sha256: "x" },
          { _id: "10001messages", _creationTime: now, author: "a", body: "old", rank: 1 },
        ],
      }),
    );
    mkdirSync(join(dir.path, "files"));
    writeFileSync(join(dir.path, "files", storageId), "old bytes");

    const second = await start(dir.path);
    expect(second.output()).toMatch(/migrated \d+ documents/);
    const http2 = new ConvexHttpClient(second.url);
    await http2.mutation(m("messages:send"), { author: "a", body: "new" });
    expect(await (await fetch(`${second.url}/api/storage/${storageId}`)).text()).toBe("old bytes");
    await second.stop();
    expect(existsSync(join(dir.path, "db.json"))).toBe(false);

    const third = await start(dir.path);
    expect(third.output()).not.toMatch(/migrated/);
    const bodies = (
      (await new ConvexHttpClient(third.url).query(q("messages:list"), {})) as { body: string }[]
    )
      .map((x) => x.body)
      .sort();
    expect(bodies).toEqual(["new", "old"]);
  });
});
