/**
 * Documents of the local backend get real Convex ids: the table's number and 16 random bytes,
 * decodable by Convex's own rules; the numbers survive a restart, and stores written with
 * convex-test's older ids keep working.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeConvexId } from "../../convex/lib/snapshot/convexId.ts";
import { Engine, type Snapshot } from "./convexTestAdapter.ts";
import { Store } from "./persistence.ts";
import { FIRST_USER_TABLE_NUMBER, legacyTableName } from "./tableNumbers.ts";
import { fixtureEngine } from "./testSupport.ts";

const engine = fixtureEngine;

type DbLike = {
  normalizeId(table: string, id: string): string | null;
  get(table: string, id: string): Promise<Record<string, unknown> | null>;
  get(id: string): Promise<Record<string, unknown> | null>;
  patch(id: string, value: Record<string, unknown>): Promise<void>;
};
const withDb = <T>(e: Engine, run: (db: DbLike) => Promise<T>) =>
  e.accessor(null).run(async (ctx) => await run((ctx as unknown as { db: DbLike }).db));

describe("real Convex ids", () => {
  it("encode the table's number, user tables from 10001, system tables apart", async () => {
    const e = await engine();
    const a = (await e.runMutation("messages:send", { author: "a", body: "b", rank: 1 }, null))
      .value as string;
    const b = (await e.runMutation("messages:send", { author: "a", body: "c", rank: 2 }, null))
      .value as string;
    await e.runMutation("counters:bump", { name: "x" }, null);
    const fileId = await e.storeFile(new Blob(["hi"]), "text/plain");

    const messages = e.tableNumbers.numberOf("messages");
    expect(messages).toBe(FIRST_USER_TABLE_NUMBER);
    expect(e.tableNumbers.numberOf("counters")).toBe(FIRST_USER_TABLE_NUMBER + 1);
    expect(decodeConvexId(a)?.tableNumber).toBe(messages);
    expect(decodeConvexId(b)?.tableNumber).toBe(messages);
    expect(a).not.toBe(b);
    expect(legacyTableName(a)).not.toBe("messages");
    const storage = decodeConvexId(fileId)?.tableNumber;
    expect(storage).toBe(e.tableNumbers.numberOf("_storage"));
    expect(storage).toBeLessThan(FIRST_USER_TABLE_NUMBER);
  });

  it("normalizeId and the table checks of db calls refuse an id of another table", async () => {
    const e = await engine();
    const message = (await e.runMutation("messages:send", { author: "a", body: "b", rank: 1 }, null))
      .value as string;
    await e.runMutation("counters:bump", { name: "x" }, null);
    await withDb(e, async (db) => {
      expect(db.normalizeId("messages", message)).toBe(message);
      expect(db.normalizeId("counters", message)).toBeNull();
      expect(db.normalizeId("messages", "not-an-id")).toBeNull();
      expect((await db.get(message))?.body).toBe("b");
      await expect(db.get("counters", message)).rejects.toThrow(
        /expected ID in table 'counters' but got ID in table 'messages'/,
      );
    });
  });

  it("keep their table numbers across a restart of the store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "real-ids-"));
    try {
      const first = await engine();
      const store = Store.open(dir);
      first.setDurableSink(store);
      await first.runMutation("counters:bump", { name: "x" }, null);
      const message = (await first.runMutation("messages:send", { author: "a", body: "b", rank: 1 }, null))
        .value as string;
      await first.settled();
      await store.close();

      const second = await engine();
      const reopened = Store.open(dir);
      second.importSnapshot(reopened.load()!.snapshot, new Map());
      second.setDurableSink(reopened);
      expect(second.tableNumbers.numberOf("counters")).toBe(FIRST_USER_TABLE_NUMBER);
      expect(second.tableNumbers.numberOf("messages")).toBe(FIRST_USER_TABLE_NUMBER + 1);
      const next = (await second.runMutation("messages:send", { author: "c", body: "d", rank: 2 }, null))
        .value as string;
      expect(decodeConvexId(next)?.tableNumber).toBe(FIRST_USER_TABLE_NUMBER + 1);
      await second.runMutation(
        "files:save",
        { storageId: await second.storeFile(new Blob(["x"]), null), name: "n" },
        null,
      );
      expect(second.tableNumbers.numberOf("uploads")).toBe(FIRST_USER_TABLE_NUMBER + 2);
      await withDb(second, async (db) => {
        expect((await db.get("messages", message))?.body).toBe("b");
      });
      await second.settled();
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still read and write documents with convex-test's older ids", async () => {
    const e = await engine();
    const old = "00000000000000000000000010000messages";
    const snapshot: Snapshot = {
      format: 1,
      nextDocId: 10001,
      lastCreationTime: 1,
      lastCommitTs: "5",
      documents: [{ _id: old, _creationTime: 1, author: "old", body: "kept", rank: 0 }],
    };
    e.importSnapshot(snapshot, new Map());
    const list = (await e.runQuery("messages:list", {}, null)).value as { _id: string; body: string }[];
    expect(list.map((d) => d.body)).toEqual(["kept"]);
    await withDb(e, async (db) => {
      expect(db.normalizeId("messages", old)).toBe(old);
      expect(db.normalizeId("counters", old)).toBeNull();
      await db.patch(old, { body: "patched" });
    });
    const fresh = (await e.runMutation("messages:send", { author: "n", body: "new", rank: 1 }, null))
      .value as string;
    expect(decodeConvexId(fresh)?.tableNumber).toBe(e.tableNumbers.numberOf("messages"));
    const after = (await e.runQuery("messages:list", {}, null)).value as { body: string }[];
    expect(after.map((d) => d.body)).toEqual(["patched", "new"]);
  });
});
