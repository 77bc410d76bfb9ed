/**
 * Guards the convex-test adapter: if an upgrade of convex-test moves the internals the local
 * backend relies on, this fails loudly (and says what to update).
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import {
  Engine,
  EXPECTED_CONVEX_TEST_VERSION,
  PATCH_ANCHORS,
  convexTestSourcePath,
  convexTestVersion,
  patchConvexTestSource,
  type CommitChanges,
  type CommitInfo,
} from "./convexTestAdapter.ts";
import { fixtureEngine } from "./testSupport.ts";

const engine = fixtureEngine;

describe("convex-test adapter", () => {
  it("targets the pinned convex-test version", () => {
    expect(convexTestVersion()).toBe(EXPECTED_CONVEX_TEST_VERSION);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.devDependencies["convex-test"] ?? pkg.dependencies["convex-test"]).toBe(
      EXPECTED_CONVEX_TEST_VERSION,
    );
  });

  it("finds every patch anchor exactly once", () => {
    const source = readFileSync(convexTestSourcePath(), "utf8");
    for (const anchor of Object.values(PATCH_ANCHORS)) {
      expect(source.split(anchor).length - 1, anchor).toBe(1);
    }
    const patched = patchConvexTestSource(source, dirname(convexTestSourcePath()));
    expect(patched).toContain("export const __localBackendInternals");
    expect(() =>
      patchConvexTestSource(source.replace(PATCH_ANCHORS.databaseFake, "class Renamed {"), "/x"),
    ).toThrow(/anchor "databaseFake"/);
  });

  it("tracks read tables, commit tables and timestamps, journals and snapshots", async () => {
    const e = await engine();
    const commits: CommitInfo[] = [];
    const off = e.onCommit((c) => commits.push(c));
    try {
      const read = await e.runQuery("counters:get", { name: "a" }, null);
      expect([...read.tables]).toEqual(["counters"]);

      const before = e.lastCommitTs;
      const write = await e.runMutation("messages:send", { author: "a", body: "b", rank: 1 }, null);
      expect(write.commitTs).not.toBeNull();
      expect(write.commitTs! > before).toBe(true);
      expect(e.lastCommitTs).toBe(write.commitTs);
      expect(commits.at(-1)).toEqual({ tables: new Set(["messages"]), ts: write.commitTs });

      // An action's runMutation commits on its own.
      await e.runAction("messages:sendViaAction", { body: "c" }, null);
      expect(commits.at(-1)!.tables).toEqual(new Set(["messages"]));

      // Query journals: the first run records the end cursor, later runs replay it.
      for (const rank of [2, 3, 4])
        await e.runMutation("messages:send", { author: "a", body: "x", rank }, null);
      const journal = { endCursor: null as string | null };
      const first = (
        await e.runQuery("messages:page", { paginationOpts: { numItems: 2, cursor: null } }, null, journal)
      ).value as { page: { rank: number }[] };
      expect(first.page.map((d) => d.rank)).toEqual([1, 2]);
      expect(journal.endCursor).not.toBeNull();
      await e.runMutation("messages:send", { author: "a", body: "x", rank: 1.5 }, null);
      const again = (
        await e.runQuery("messages:page", { paginationOpts: { numItems: 2, cursor: null } }, null, journal)
      ).value as { page: { rank: number }[] };
      expect(again.page.map((d) => d.rank)).toEqual([1, 1.5, 2]);

      // Snapshot round trip into a fresh engine.
      const snapshot = e.exportSnapshot();
      const restored = await engine();
      restored.importSnapshot(JSON.parse(JSON.stringify(snapshot)), new Map());
      const list = (await restored.runQuery("messages:list", {}, null)).value as unknown[];
      expect(list).toHaveLength(6);
      expect(restored.lastCommitTs).toBe(e.lastCommitTs);
      const id = (await restored.runMutation("messages:send", { author: "z", body: "z" }, null))
        .value as string;
      expect(snapshot.documents.map((d) => (d as { _id: string })._id)).not.toContain(id);
    } finally {
      off();
    }
  });

  it("gives storage and site URLs of this deployment", async () => {
    const e = await engine();
    const url = (await e.runMutation("files:generateUploadUrl", {}, null)).value as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:1\/api\/storage\/upload\?token=[0-9a-f]+$/);
    const id = await e.storeFile(new Blob(["hi"]), "text/plain");
    expect(e.getFile(id)?.contentType).toBe("text/plain");
    const res = await e.fetch("/echo", { method: "POST", body: "b" }, null);
    expect(((await res.json()) as { url: string }).url).toBe("http://127.0.0.1:2/echo");
  });

  it("queries see exactly their table's documents through inserts, deletes and an open transaction", async () => {
    const e = await engine();
    const db = (run: (db: DbLike) => Promise<unknown>) =>
      e.accessor(null).run(async (ctx) => await run((ctx as unknown as { db: DbLike }).db));
    type DbLike = {
      insert(table: string, doc: Record<string, unknown>): Promise<string>;
      delete(table: string, id: string): Promise<void>;
      query(table: string): { collect(): Promise<Array<{ _id: string }>> };
    };
    const count = async () => (await e.runQuery("messages:count", {}, null)).value;
    expect(await count()).toBe(0);
    const ids = (await db(async (d) => [
      await d.insert("messages", { author: "t", body: "a", rank: 1 }),
      await d.insert("messages", { author: "t", body: "b", rank: 2 }),
    ])) as string[];
    await db(async (d) => await d.insert("counters", { name: "x", value: 1 }));
    expect(await count()).toBe(2);
    await db(async (d) => await d.delete("messages", ids[0]!));
    expect(await count()).toBe(1);
    const seenInsideTransaction = await db(async (d) => {
      await d.insert("messages", { author: "t", body: "c", rank: 3 });
      await d.delete("messages", ids[1]!);
      return (await d.query("messages").collect()).length;
    });
    expect(seenInsideTransaction).toBe(1);
    expect(await count()).toBe(1);
  });

  it("tells each engine only of its own commits", async () => {
    const first = await engine();
    const second = await engine();
    const heardBySecond: CommitInfo[] = [];
    const off = second.onCommit((c) => heardBySecond.push(c));
    try {
      await first.runMutation("messages:send", { author: "a", body: "first" }, null);
      await first.settled();
      expect(heardBySecond).toEqual([]);
      await second.runMutation("messages:send", { author: "a", body: "second" }, null);
      await second.settled();
      expect(heardBySecond).toHaveLength(1);
    } finally {
      off();
    }
  });

  it("returns a mutation, an HTTP action and an upload only once their writes are durable", async () => {
    const e = await engine();
    const written: CommitChanges[] = [];
    const files: string[] = [];
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    e.setDurableSink({
      writeCommit: async (changes) => {
        written.push(changes);
        await gate;
      },
      writeFile: async (storageId) => {
        files.push(storageId);
        await gate;
      },
    });
    const heard: CommitInfo[] = [];
    e.onCommit((c) => heard.push(c));
    const settledSoon = async <T>(promise: Promise<T>) =>
      await Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);

    const mutation = e.runMutation("messages:send", { author: "a", body: "b" }, null);
    expect(await settledSoon(mutation)).toBe(false);
    // Only the changed document is handed over, and no one hears of the commit yet.
    expect(written).toHaveLength(1);
    expect([...written[0]!.documents.values()].map((d) => d?.body)).toEqual(["b"]);
    expect(heard).toEqual([]);
    release();
    expect((await mutation).commitTs).toBe(written[0]!.ts);
    await e.settled();
    expect(heard).toHaveLength(1);

    gate = new Promise<void>((r) => (release = r));
    const httpAction = e.fetch("/write", { method: "POST", body: "via http" }, null);
    const upload = e.storeFile(new Blob(["bytes"]), "text/plain");
    expect(await settledSoon(httpAction)).toBe(false);
    expect(await settledSoon(upload)).toBe(false);
    release();
    expect((await httpAction).status).toBe(204);
    expect(files).toEqual([await upload]);
  });

  it("still rejects a document that matches no branch of a union, and accepts each branch", async () => {
    const e = await engine();
    const insert = (kind: unknown) =>
      e.accessor(null).run(async (ctx) => {
        const db = (ctx as unknown as { db: { insert(t: string, d: unknown): Promise<string> } }).db;
        return await db.insert("points", { group: "g", x: 1, n: 1, kind });
      });
    for (const kind of ["a", 2, null, { z: "ok" }]) await expect(insert(kind)).resolves.toBeTypeOf("string");
    for (const kind of ["b", 3, true, { z: 1 }, "2"])
      await expect(insert(kind), JSON.stringify(kind)).rejects.toThrow(/Validator error/);
  });

  it("gives each engine its own environment without writing process.env", async () => {
    const first = await engine({ LOCAL_BACKEND_TEST_VAR: "first" });
    const second = await engine({ LOCAL_BACKEND_TEST_VAR: "second" });
    const read = async (e: Engine) =>
      (await e.runQuery("messages:env", { name: "LOCAL_BACKEND_TEST_VAR" }, null)).value;
    expect(await read(first)).toBe("first");
    expect(await read(second)).toBe("second");
    expect(process.env.LOCAL_BACKEND_TEST_VAR).toBeUndefined();
    // Variables of the process itself still show through.
    process.env.LOCAL_BACKEND_OWN_VAR = "own";
    try {
      expect((await first.runQuery("messages:env", { name: "LOCAL_BACKEND_OWN_VAR" }, null)).value).toBe(
        "own",
      );
    } finally {
      delete process.env.LOCAL_BACKEND_OWN_VAR;
    }
  });
});
