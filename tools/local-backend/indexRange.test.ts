/**
 * Index range scans in the local engine: `withIndex` reads only the matching range of a sorted
 * index, and returns exactly what convex-test's own engine (which walks the whole table) returns.
 */
import { describe, expect, it } from "vitest";
import { Engine } from "./convexTestAdapter.ts";
import { collectModules, loadOptional } from "./modules.ts";
import { FIXTURE_CONVEX } from "./testSupport.ts";
import { seededRandom } from "../../convex/lib/seededRandom.ts";
import { logRowOf } from "../../convex/logs/model/rows.ts";

type Point = { _id: string; group: string; x: number; y?: number; n: number };
type Bound = { op: "gt" | "gte" | "lt" | "lte"; value: number };
type RangeQuery = (
  | {
      index: "by_group_x";
      group?: string;
      lower?: Bound;
      upper?: Bound;
      order: "asc" | "desc";
      take?: number;
    }
  | { index: "by_y"; lower?: Bound; upper?: Bound; order: "asc" | "desc"; take?: number }
  | { index: "by_creation_time"; order: "asc" | "desc"; take?: number }
) & { onlyN?: "odd" };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- convex-test's untyped generic db
type AnyDb = any;

function runRange(db: AnyDb, query: RangeQuery): Promise<Point[]> {
  let q = db.query("points").withIndex(query.index, (r: AnyDb) => {
    let range = r;
    if (query.index === "by_group_x") {
      if (query.group === undefined) return range;
      range = range.eq("group", query.group);
    }
    if (query.index === "by_creation_time") return range;
    const field = query.index === "by_group_x" ? "x" : "y";
    if (query.lower) range = range[query.lower.op](field, query.lower.value);
    if (query.upper) range = range[query.upper.op](field, query.upper.value);
    return range;
  });
  q = q.order(query.order);
  if (query.onlyN === "odd") q = q.filter((f: AnyDb) => f.eq(f.mod(f.field("n"), 2), 1));
  return query.take === undefined ? q.collect() : q.take(query.take);
}

async function engine(indexed = true) {
  const modules = collectModules(FIXTURE_CONVEX);
  const schema = (await loadOptional(modules, "schema"))!.default;
  return {
    schema,
    modules: modules.loaders,
    engine: await Engine.create({
      schema,
      modules: modules.loaders,
      storageBaseUrl: () => "http://127.0.0.1:1",
      siteUrl: () => "http://127.0.0.1:2",
      indexed,
    }),
  };
}

describe("index range scans", { timeout: 60_000 }, () => {
  it("give the same results as convex-test's unindexed engine on randomized data and ranges", async () => {
    const { engine: indexed } = await engine();
    const reference = (await engine(false)).engine.accessor(null);
    const random = seededRandom(20261124);
    const int = (n: number) => Math.floor(random() * n);
    const groups = ["a", "b", "c"];
    const bound = (kind: "lower" | "upper"): Bound | undefined =>
      random() < 0.3
        ? undefined
        : {
            op: kind === "lower" ? (random() < 0.5 ? "gt" : "gte") : random() < 0.5 ? "lt" : "lte",
            value: int(22) - 1,
          };
    const randomQuery = (): RangeQuery => ({
      ...randomRange(),
      ...(random() < 0.3 && { onlyN: "odd" as const }),
    });
    const randomRange = (): RangeQuery => {
      const order = random() < 0.5 ? "asc" : "desc";
      const take = random() < 0.3 ? 1 + int(10) : undefined;
      const pick = random();
      if (pick < 0.6) {
        const group = random() < 0.85 ? groups[int(3)] : undefined;
        return {
          index: "by_group_x",
          group,
          ...(group ? { lower: bound("lower"), upper: bound("upper") } : {}),
          order,
          take,
        };
      }
      if (pick < 0.9) return { index: "by_y", lower: bound("lower"), upper: bound("upper"), order, take };
      return { index: "by_creation_time", order, take };
    };
    const project = (points: Point[]) => points.map((p) => p.n);
    let n = 0;
    // Each engine numbers its own ids, so each keeps its own list of live documents.
    let live: [string[], string[]] = [[], []];
    const both = async (write: (db: AnyDb, ids: string[]) => Promise<unknown>) => {
      const a = (await indexed
        .accessor(null)
        .run(async (ctx) => await write((ctx as AnyDb).db, live[0]))) as unknown;
      const b = (await reference.run(async (ctx) => await write((ctx as AnyDb).db, live[1]))) as unknown;
      return [a, b];
    };
    for (let step = 0; step < 80; step++) {
      // A batch of random inserts, patches and deletes, the same in both engines (ids match,
      // since both number documents alike).
      const ops = Array.from({ length: 25 }, () => ({
        kind: live[0].length === 0 || random() < 0.6 ? "insert" : random() < 0.5 ? "patch" : "delete",
        at: random(),
        doc: { group: groups[int(3)]!, x: int(20), ...(random() < 0.8 ? { y: int(20) } : {}), n: n++ },
      }));
      const ids = await both(async (db, ids) => {
        const current = [...ids];
        for (const op of ops) {
          if (op.kind === "insert") current.push(await db.insert("points", op.doc));
          else {
            const index = Math.floor(op.at * current.length);
            if (op.kind === "patch") await db.patch(current[index], { x: op.doc.x, y: op.doc.y });
            else await db.delete(current.splice(index, 1)[0]);
          }
        }
        return current;
      });
      live = ids as [string[], string[]];
      for (let k = 0; k < 10; k++) {
        const query = randomQuery();
        const a = (await indexed
          .accessor(null)
          .run(async (ctx) => await runRange((ctx as AnyDb).db, query))) as Point[];
        const b = (await reference.run(async (ctx) => await runRange((ctx as AnyDb).db, query))) as Point[];
        expect(project(a), JSON.stringify(query)).toEqual(project(b));
      }
      // Inside an open transaction a range also sees the transaction's own writes.
      const query = randomQuery();
      // The transaction is rolled back (it throws) so both engines keep the same data.
      const inside = async (accessor: typeof reference, ids: string[]) =>
        await accessor
          .run(async (ctx) => {
            const db = (ctx as AnyDb).db;
            await db.insert("points", { group: "a", x: 5, y: 5, n: -step });
            if (ids.length > 0) await db.patch(ids[0], { x: 7, y: 7 });
            throw Object.assign(new Error("rollback"), { result: project(await runRange(db, query)) });
          })
          .catch((error: { result?: number[] }) => error.result);
      const inA = await inside(indexed.accessor(null), live[0]);
      const inB = await inside(reference, live[1]);
      expect(inA).toBeDefined();
      expect(inA).toEqual(inB);
    }
    // Enough documents that the index splits into several blocks.
    expect(live[0].length).toBeGreaterThan(600);
  });

  it("sees its own uncommitted writes inside a transaction, like convex-test", async () => {
    const { engine: indexed } = await engine();
    const reference = (await engine(false)).engine.accessor(null);
    const script = async (db: AnyDb) => {
      // The same range read before and after the transaction's own writes.
      const fromTwo = () =>
        runRange(db, { index: "by_group_x", group: "a", lower: { op: "gte", value: 2 }, order: "asc" });
      const a = await db.insert("points", { group: "a", x: 1, y: 1, n: 1 });
      await db.insert("points", { group: "a", x: 3, y: 3, n: 2 });
      const before = await fromTwo();
      await db.patch(a, { x: 4 });
      await db.insert("points", { group: "a", x: 2, y: 2, n: 3 });
      const after = await fromTwo();
      return [before.map((p) => p.n), after.map((p) => p.n)];
    };
    const a = await indexed.accessor(null).run(async (ctx) => await script((ctx as AnyDb).db));
    const b = await reference.run(async (ctx) => await script((ctx as AnyDb).db));
    expect(a).toEqual(b);
    expect(a).toEqual([[2], [3, 2, 1]]);
  });

  it("finds a transaction's own writes by their index range, with convex-test's own results", async () => {
    const { engine: indexed } = await engine();
    const reference = (await engine(false)).engine.accessor(null);
    const random = seededRandom(20261203);
    const int = (n: number) => Math.floor(random() * n);
    const groups = ["a", "b", "c", "d"];
    // Writes and reads interleaved in one transaction: inserts, patches that move a document
    // between ranges (and back), deletes, each followed by a range read.
    const steps = Array.from({ length: 600 }, () => ({
      op: random() < 0.5 ? "insert" : random() < 0.6 ? "patch" : "delete",
      at: random(),
      doc: { group: groups[int(4)]!, x: int(12), ...(random() < 0.8 ? { y: int(12) } : {}) },
      query: {
        index: random() < 0.7 ? ("by_group_x" as const) : ("by_y" as const),
        group: groups[int(4)]!,
        lower: { op: "gte" as const, value: int(12) },
        upper: { op: "lt" as const, value: int(12) + 3 },
        order: random() < 0.5 ? ("asc" as const) : ("desc" as const),
      },
    }));
    const script = async (db: AnyDb) => {
      const ids: string[] = [];
      const seen: number[][] = [];
      let n = 0;
      for (const step of steps) {
        if (step.op === "insert" || ids.length === 0)
          ids.push(await db.insert("points", { ...step.doc, n: n++ }));
        else if (step.op === "patch") await db.patch(ids[Math.floor(step.at * ids.length)], step.doc);
        else await db.delete(ids.splice(Math.floor(step.at * ids.length), 1)[0]);
        seen.push((await runRange(db, step.query)).map((p) => p.n));
      }
      return seen;
    };
    const a = await indexed.accessor(null).run(async (ctx) => await script((ctx as AnyDb).db));
    const b = await reference.run(async (ctx) => await script((ctx as AnyDb).db));
    expect(a).toEqual(b);
    expect((a as number[][]).filter((found) => found.length > 0).length).toBeGreaterThan(100);
  });

  it("reads an upsert's range, not every row its transaction wrote before", async () => {
    const { engine: indexed } = await engine();
    // A batch ingest: thousands of rows written, then each key looked up before it is patched.
    const visitedPerLookup = (await indexed.accessor(null).run(async (ctx) => {
      const db = (ctx as AnyDb).db;
      for (let i = 0; i < 3000; i++) await db.insert("points", { group: `g${i}`, x: 0, n: i });
      const visited: number[] = [];
      for (let i = 0; i < 3000; i += 100) {
        const before = indexed.documentsVisited;
        const row = await db
          .query("points")
          .withIndex("by_group_x", (r: AnyDb) => r.eq("group", `g${i}`))
          .unique();
        await db.patch(row._id, { x: 1 });
        visited.push(indexed.documentsVisited - before);
        expect(row.n).toBe(i);
      }
      return visited;
    })) as number[];
    expect(Math.max(...visitedPerLookup)).toBe(1);
  });

  it("reads only the range on a 100k-document table", async () => {
    const { engine: indexed } = await engine();
    const now = Date.now();
    const documents = Array.from({ length: 100_000 }, (_, i) => ({
      _id: `${100_000 + i}points`,
      _creationTime: now + i / 1000,
      group: ["a", "b"][i % 2]!,
      x: i,
      n: i,
    }));
    indexed.importSnapshot(
      { format: 1, nextDocId: 200_000, lastCreationTime: now + 100, lastCommitTs: "1", documents },
      new Map(),
    );
    const read = async (query: RangeQuery) => {
      const before = indexed.documentsVisited;
      const result = (await indexed
        .accessor(null)
        .run(async (ctx) => await runRange((ctx as AnyDb).db, query))) as Point[];
      return { result, visited: indexed.documentsVisited - before };
    };
    // The first read builds the index; later reads use it.
    await read({
      index: "by_group_x",
      group: "a",
      lower: { op: "gte", value: 0 },
      upper: { op: "lt", value: 1 },
      order: "asc",
    });
    const range = await read({
      index: "by_group_x",
      group: "b",
      lower: { op: "gte", value: 5000 },
      upper: { op: "lt", value: 5040 },
      order: "desc",
    });
    expect(range.result.map((p) => p.n)).toEqual(Array.from({ length: 20 }, (_, i) => 5039 - 2 * i));
    expect(range.visited).toBe(20);
    // A range is read as far as the query goes: five of the whole index read five documents.
    const first = await read({ index: "by_group_x", order: "asc", take: 5 });
    expect(first.result).toHaveLength(5);
    expect(first.visited).toBe(5);
    // A filter no document passes walks the whole range: the count shows the difference is real.
    const none = (await indexed.accessor(null).run(async (ctx) => {
      const before = indexed.documentsVisited;
      const rows = await (ctx as AnyDb).db
        .query("points")
        .withIndex("by_group_x")
        .filter((f: AnyDb) => f.eq(f.field("n"), -5))
        .take(5);
      return { rows: rows.length, visited: indexed.documentsVisited - before };
    })) as { rows: number; visited: number };
    expect(none).toEqual({ rows: 0, visited: 100_000 });
    // Commits keep the index sorted: a new document in the range is found, a deleted one is gone.
    await indexed.accessor(null).run(async (ctx) => {
      const db = (ctx as AnyDb).db;
      await db.insert("points", { group: "b", x: 5000.5, n: -1 });
      await db.delete("105001points");
    });
    const after = await read({
      index: "by_group_x",
      group: "b",
      lower: { op: "gt", value: 5000 },
      upper: { op: "lte", value: 5003 },
      order: "asc",
    });
    expect(after.result.map((p) => p.n)).toEqual([-1, 5003]);
    expect(after.visited).toBe(2);
  });
});

describe("search candidates", { timeout: 60_000 }, () => {
  it("are the documents equal to the search's filter fields, with convex-test's own results", async () => {
    const schema = (await import("../../convex/schema.ts")).default;
    const create = (indexed: boolean) =>
      Engine.create({
        schema,
        modules: collectModules(FIXTURE_CONVEX).loaders,
        storageBaseUrl: () => "http://127.0.0.1:1",
        siteUrl: () => "http://127.0.0.1:2",
        indexed,
      });
    const [indexed, reference] = [await create(true), await create(false)];
    const HOUR = 3_600_000;
    const rows = Array.from({ length: 2_400 }, (_, i) => ({
      ...logRowOf({
        kind: "console",
        record: {
          deployment: i % 3 === 0 ? "prod" : "dev",
          ts: (i % 24) * HOUR + i,
          requestId: `r${i}`,
          functionPath: "tasks:list",
          level: i % 5 === 0 ? "ERROR" : "INFO",
          message: i % 7 === 0 ? `Task ${i} not found` : `loaded ${i} items`,
          slowQuery: null,
        },
      }),
    }));
    for (const engine of [indexed, reference]) {
      await engine.accessor(null).run(async (ctx) => {
        for (const row of rows) await (ctx as AnyDb).db.insert("logEvents", row);
      });
    }
    const search = (engine: Engine, hour: number, level?: string) =>
      engine.accessor(null).run(async (ctx) => {
        const before = engine.documentsVisited;
        const found = await (ctx as AnyDb).db
          .query("logEvents")
          .withSearchIndex("search_text", (q: AnyDb) => {
            const s = q.search("text", "not found").eq("hour", hour);
            return level === undefined ? s : s.eq("level", level);
          })
          .take(50);
        return {
          found: found.map((row: { requestId: string }) => row.requestId),
          visited: engine.documentsVisited - before,
        };
      }) as Promise<{ found: string[]; visited: number }>;
    for (const [hour, level] of [
      [5, undefined],
      [7, "error"],
      [30, undefined],
    ] as const) {
      const a = await search(indexed, hour * HOUR, level);
      const b = await search(reference, hour * HOUR, level);
      expect(a.found.sort()).toEqual(b.found.sort());
      // Only that hour's (and level's) rows are candidates, not the table.
      expect(a.visited).toBe(
        rows.filter((row) => row.hour === hour * HOUR && (level === undefined || row.level === level)).length,
      );
    }
    expect((await search(indexed, 7 * HOUR)).found.length).toBeGreaterThan(0);
  });
});
