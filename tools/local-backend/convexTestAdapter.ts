/**
 * The ONLY module that touches convex-test internals.
 *
 * convex-test (pinned: see EXPECTED_CONVEX_TEST_VERSION) has no hooks for what a long-running
 * backend needs: knowing which tables a query read, which tables a commit wrote, the commit
 * timestamp, dumping/restoring its in-memory database, re-arming scheduled jobs after a restart,
 * query journals for pagination, and real storage / site URLs. So this adapter loads a copy of
 * convex-test's single dist file with a few exported internals appended (a "small patch"), and
 * wraps a handful of methods. `convexTestAdapter.test.ts` checks every anchor, so an upgrade that
 * moves them fails loudly there instead of silently breaking reactivity.
 */
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { makeFunctionReference } from "convex/server";
import { compareValues, convexToJson, jsonToConvex, type Value } from "convex/values";
import { isSystemTable, TableNumbers } from "./tableNumbers.ts";

export const EXPECTED_CONVEX_TEST_VERSION = "0.0.60";

/** The error of a job whose run was lost with the process (`_scheduled_functions` state `failed`). */
export const LOST_JOB_ERROR = "The backend stopped while it ran.";

/** Source anchors the patch relies on; each must occur exactly once. */
export const PATCH_ANCHORS = {
  transactionMetricsImport: `from "./transactionMetrics.js";`,
  siteUrl: "const url = new URL(`https://some.convex.site${path}`);",
  databaseFake: "class DatabaseFake {",
  transactionManager: "class TransactionManager {",
  getConvexGlobal: "function getConvexGlobal() {",
  runScheduledFunction: "async function runScheduledFunction({",
  scheduledFunctionCall: "            await withAuth().fun(functionPath, args);",
  tableNameFromId: "function tableNameFromId(id) {",
  generateId: "    _generateId(table) {",
  convexGlobalStorage: "const convexGlobalStorage = new AsyncLocalStorage();",
  unionBranch: `            for (const v of validator.value) {
                try {
                    validateValidator(v, value);`,
} as const;

/**
 * Schema validation of a union tries each branch and throws (building an error message) for each
 * that does not match; documents with literal unions (statuses, kinds) made that the largest cost
 * of a write. Branches whose literal or primitive type cannot match are skipped without throwing:
 * they would have thrown, so the outcome is the same.
 */
const UNION_BRANCH_SKIP = `            for (const v of validator.value) {
                if (v.type === "literal" ? v.value !== value
                    : v.type === "null" ? value !== null
                    : v.type === "string" || v.type === "number" || v.type === "boolean" || v.type === "bigint" ? typeof value !== v.type
                    : false) continue;
                try {
                    validateValidator(v, value);`;

/** DatabaseFake / TransactionManager members the adapter reads or wraps. */
export const DATABASE_MEMBERS = [
  "get",
  "_addWrite",
  "_validate",
  "delete",
  "_iterateDocs",
  "_resolveQuerySource",
  "commit",
  "storeFile",
  "patch",
  "insert",
  "startQuery",
] as const;
export const DATABASE_FIELDS = [
  "_documents",
  "_storage",
  "_nextDocId",
  "_lastCreationTime",
  "_writes",
  "_queryResults",
  "_nextQueryId",
] as const;

export type Doc = Record<string, Value> & { _id: string; _creationTime: number };

interface DatabaseFakeLike {
  _documents: Record<string, Doc>;
  _storage: Record<string, Blob>;
  _nextDocId: number;
  _lastCreationTime: number;
  _writes: Record<string, Doc | null>[];
  _queryResults: Record<number, unknown>;
  _nextQueryId: number;
  _schema: { tables: Map<string, unknown> } | null;
  get(table: string | undefined, id: string): Doc | null;
  patch(table: string, id: string, value: Record<string, unknown>): void;
  delete(table: string, id: string): void;
  _addWrite(id: string, doc: Doc | null): void;
  _validate(table: string, doc: Record<string, Value>): void;
  storeFile(storageId: string, blob: Blob): void;
}

interface ConvexGlobalLike {
  components: Record<string, { db: DatabaseFakeLike }>;
  transactionManager: { _lastCommitTs: bigint };
  asyncSyscall: (op: string, jsonArgs: string) => Promise<string>;
}

interface Internals {
  DatabaseFake: { prototype: Record<string, unknown> };
  TransactionManager: { prototype: Record<string, unknown> };
  getConvexGlobal: () => ConvexGlobalLike;
  convexGlobalStorage: AsyncLocalStorage<ConvexGlobalLike>;
  runScheduledFunction: (args: {
    db: DatabaseFakeLike;
    jobId: string;
    componentPath: string;
    functionPath: { udfPath: string; componentPath: string };
    args: Value;
    name: string;
  }) => Promise<void>;
  tableNameFromId: (id: string) => string | null;
  evaluateFilter: (doc: Doc, filter: unknown) => boolean;
  evaluateRangeFilter: (doc: Doc, filter: RangeFilter) => boolean;
  evaluateQueryValue: (value: unknown) => Value | undefined;
  validateIndexRangeExpression: (source: QuerySource, fields: string[]) => void;
}

interface ConvexTestModule {
  convexTest: (schema: unknown, modules: Record<string, () => Promise<unknown>>) => TestConvex;
  __localBackendInternals: Internals;
}

/** The subset of convex-test's public accessor the server uses. */
export interface TestAccessor {
  query(ref: unknown, args: unknown): Promise<unknown>;
  mutation(ref: unknown, args: unknown): Promise<unknown>;
  action(ref: unknown, args: unknown): Promise<unknown>;
  run<T>(handler: (ctx: { storage: { store(blob: Blob): Promise<string> } }) => Promise<T>): Promise<T>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}
interface TestConvex extends TestAccessor {
  withIdentity(identity: Record<string, unknown>): TestAccessor;
}

export function convexTestSourcePath(): string {
  return createRequire(import.meta.url).resolve("convex-test");
}

export function convexTestVersion(): string {
  const pkg = join(dirname(convexTestSourcePath()), "..", "package.json");
  return JSON.parse(readFileSync(pkg, "utf8")).version as string;
}

/** Applies the patch to convex-test's source text; throws if an anchor is missing. */
export function patchConvexTestSource(source: string, distDir: string): string {
  for (const [name, anchor] of Object.entries(PATCH_ANCHORS)) {
    const count = source.split(anchor).length - 1;
    if (count !== 1) {
      throw new Error(
        `convex-test adapter: anchor "${name}" found ${count} times in convex-test ${convexTestVersion()} ` +
          `(adapter written for ${EXPECTED_CONVEX_TEST_VERSION}). Update tools/local-backend/convexTestAdapter.ts.`,
      );
    }
  }
  const metricsUrl = pathToFileURL(join(distDir, "transactionMetrics.js")).href;
  return (
    source
      .replace(PATCH_ANCHORS.transactionMetricsImport, `from ${JSON.stringify(metricsUrl)};`)
      .replace(PATCH_ANCHORS.unionBranch, UNION_BRANCH_SKIP)
      // Real Convex ids (table number + random bytes), decoded through the engine's table numbers.
      .replace(
        PATCH_ANCHORS.generateId,
        `${PATCH_ANCHORS.generateId}\n        return globalThis.__convexLocalBackendNewId(this, table);`,
      )
      .replace(
        PATCH_ANCHORS.tableNameFromId,
        `${PATCH_ANCHORS.tableNameFromId}\n    return globalThis.__convexLocalBackendTableOfId(convexGlobalStorage.getStore(), id);`,
      )
      // A job is recorded on disk as started before it runs (see `failLostJobs`).
      .replace(
        PATCH_ANCHORS.scheduledFunctionCall,
        `            await globalThis.__convexLocalBackendJobStarted(db, jobId);\n${PATCH_ANCHORS.scheduledFunctionCall}`,
      )
      .replace(
        PATCH_ANCHORS.siteUrl,
        'const url = new URL(`${globalThis.__convexLocalBackendSiteUrl?.() ?? "https://some.convex.site"}${path}`);',
      ) +
    "\nexport const __localBackendInternals = { DatabaseFake, TransactionManager, getConvexGlobal, " +
    "convexGlobalStorage, runScheduledFunction, tableNameFromId, evaluateFilter, evaluateRangeFilter, " +
    "evaluateQueryValue, validateIndexRangeExpression };\n"
  );
}

let loaded: Promise<ConvexTestModule> | null = null;

/** Loads the patched convex-test (once per process). */
export function loadPatchedConvexTest(): Promise<ConvexTestModule> {
  if (loaded) return loaded;
  loaded = (async () => {
    const sourcePath = convexTestSourcePath();
    const source = readFileSync(sourcePath, "utf8");
    const patched = patchConvexTestSource(source, dirname(sourcePath));
    const hash = createHash("sha256").update(patched).digest("hex").slice(0, 16);
    // Inside node_modules so bare imports ("convex/server") resolve to the same instances the
    // project's functions use, and so test runners treat it as an external dependency.
    const cacheDir = join(dirname(sourcePath), "..", "..", ".cache", "convex-local-backend");
    const target = join(cacheDir, `convex-test-${convexTestVersion()}-${hash}.mjs`);
    if (!existsSync(target)) {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, patched);
      renameSync(tmp, target);
    }
    const mod = (await import(pathToFileURL(target).href)) as ConvexTestModule;
    const internals = mod.__localBackendInternals;
    for (const member of DATABASE_MEMBERS) {
      if (typeof internals.DatabaseFake.prototype[member] !== "function") {
        throw new Error(`convex-test adapter: DatabaseFake.${member} is missing`);
      }
    }
    installHooks(internals);
    return mod;
  })();
  return loaded;
}

// ---------------------------------------------------------------------------------------------
// Hooks: read tracking, index range scans, commit and file notification per engine.

export interface ReadTracker {
  tables: Set<string>;
  /** End cursor recorded for / replayed into a paginated query (Convex's query journal). */
  journal: { endCursor: string | null } | null;
}
const readTrackerStorage = new AsyncLocalStorage<ReadTracker>();

export interface CommitInfo {
  tables: Set<string>;
  ts: bigint;
}
type CommitListener = (info: CommitInfo) => void;

/** What a top-level commit changed: each written id with its committed document, or null if deleted. */
export interface CommitChanges {
  ts: bigint;
  documents: Map<string, Doc | null>;
  /** The whole table-number map when it changed since the last commit, else null. */
  tableNumbers: [string, number][] | null;
  nextDocId: number;
  lastCreationTime: number;
}

/**
 * Where an engine makes its commits and files durable. Each returns a promise that resolves once
 * the write is on disk; commits are handed over in commit order.
 */
export interface DurableSink {
  writeCommit(changes: CommitChanges): Promise<void>;
  writeFile(storageId: string, blob: Blob): Promise<void>;
  /** Records that a scheduled job is about to run (a sink without it keeps no such record). */
  markJobStarted?(jobId: string): Promise<void>;
}

/** Per-engine state the prototype hooks dispatch to (keyed by the engine's root database). */
interface EngineHooks {
  commitListeners: Set<CommitListener>;
  fileListeners: Set<(storageId: string) => void>;
  sink: DurableSink | null;
  /** Listeners hear of commits in commit order, each only once it is durable. */
  notifyChain: Promise<void>;
  /** Documents read by queries as candidates, for tests that prove a query read only its range. */
  documentsVisited: number;
}
const hooksByDb = new WeakMap<object, EngineHooks>();
/** Databases that keep convex-test's own full-table walk (the reference the index tests compare to). */
const unindexedDbs = new WeakSet<object>();

/**
 * Collects the durability promises of the commits and files made by one call (a mutation, an
 * action with its runMutations, an HTTP action), so its response waits until they are on disk.
 */
interface CallRecorder {
  ts: bigint | null;
  durable: Promise<void>[];
}
const callRecorderStorage = new AsyncLocalStorage<CallRecorder>();

/**
 * The table of each id an import commit writes. An import may move a table to another number
 * in the same commit that deletes its old documents, so their ids no longer decode to it.
 */
const importTablesStorage = new AsyncLocalStorage<Map<string, string>>();

/**
 * Environment variables per engine: functions read `process.env`, so `process.env` is wrapped
 * once (never written) to answer from the variables of the engine whose call is running.
 */
const envStorage = new AsyncLocalStorage<Record<string, string>>();
let envWrapped = false;
function wrapProcessEnv() {
  if (envWrapped) return;
  envWrapped = true;
  const own = (key: string | symbol): Record<string, string> | null => {
    const env = envStorage.getStore();
    return env && typeof key === "string" && Object.hasOwn(env, key) ? env : null;
  };
  process.env = new Proxy(process.env, {
    get: (target, key) => own(key)?.[key as string] ?? Reflect.get(target, key),
    has: (target, key) => own(key) !== null || Reflect.has(target, key),
    ownKeys: (target) => [
      ...new Set([...Reflect.ownKeys(target), ...Object.keys(envStorage.getStore() ?? {})]),
    ],
    getOwnPropertyDescriptor: (target, key) => {
      const env = own(key);
      return env
        ? { value: env[key as string], writable: true, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/** Runs `call` where `process.env` shows `env` over the process's own variables. */
export function runWithEnv<T>(env: Record<string, string>, call: () => Promise<T>): Promise<T> {
  wrapProcessEnv();
  return envStorage.run(env, call);
}

/** The site URL of the engine serving the current HTTP action (read by the patched `t.fetch`). */
const siteUrlStorage = new AsyncLocalStorage<string>();

/**
 * Listeners run in the async context this module was loaded in, not in the transaction that
 * committed: convex-test's per-call overrides (e.g. `setTimeout` disallowed in mutations) and
 * its AsyncLocalStorage state must not leak into the server's timers and promise chains.
 */
const rootScope = new AsyncResource("convex-local-backend-listeners");

// An index range filter as convex-test receives it from `withIndex`.
type RangeFilter = { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: Value };
type SearchFilter =
  { type: "Search"; fieldPath: string; value: string } | { type: "Eq"; fieldPath: string; value: unknown };
type QuerySource =
  | { type: "IndexRange"; indexName: string; range: RangeFilter[]; order?: string }
  | { type: "Search"; indexName: string; filters: SearchFilter[] }
  | { type: "FullTableScan"; tableName?: string; indexName?: string };
type QueryOperator = { filter: unknown } | { limit: number };

function fieldValue(doc: Doc, path: string): Value | undefined {
  let value: unknown = doc;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value as Value | undefined;
}

/**
 * Convex's order of two index values. Equal strings and non-zero, non-NaN numbers are answered
 * directly (the common case when a range shares its leading fields); everything else,
 * including string order (UTF-8 bytes), goes to `compareValues`.
 */
function compareIndexValues(a: Value | undefined, b: Value | undefined): number {
  if (typeof a === "string" && a === b) return 0;
  if (typeof a === "number" && typeof b === "number" && a !== 0 && b !== 0 && a === a && b === b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return compareValues(a, b);
}

/** Compares index keys field by field over the first `length` fields (undefined sorts first). */
function compareKeys(a: (Value | undefined)[], b: (Value | undefined)[], length: number): number {
  for (let i = 0; i < length; i++) {
    const cmp = compareIndexValues(a[i], b[i]);
    if (cmp !== 0) return cmp;
  }
  return 0;
}

interface IndexEntry {
  key: (Value | undefined)[];
  id: string;
}

/**
 * A table's documents sorted by one index's fields (then `_creationTime`, `_id`, as on Convex),
 * kept sorted as commits change them, so a range is found by binary search. Entries live in
 * blocks of at most `2 * BLOCK` so an insert or delete moves a block, not the whole table.
 */
const BLOCK = 256;
type Position = { block: number; offset: number };

class SortedIndex {
  private blocks: IndexEntry[][] = [[]];
  constructor(readonly fields: string[]) {}

  keyOf(doc: Doc): (Value | undefined)[] {
    return this.fields.map((field) => fieldValue(doc, field));
  }

  /** Fills the index from documents in any order. */
  load(docs: Doc[]) {
    const entries = docs.map((doc) => ({ key: this.keyOf(doc), id: doc._id }));
    entries.sort((a, b) => compareKeys(a.key, b.key, this.fields.length));
    this.blocks = [];
    for (let i = 0; i < entries.length; i += BLOCK) this.blocks.push(entries.slice(i, i + BLOCK));
    if (this.blocks.length === 0) this.blocks.push([]);
  }

  /** First position whose key's first `prefix.length` fields compare ≥ (or >, if `after`) `prefix`. */
  lowerBound(prefix: (Value | undefined)[], after = false): Position {
    const before = (entry: IndexEntry) => {
      const cmp = compareKeys(entry.key, prefix, prefix.length);
      return cmp < 0 || (after && cmp === 0);
    };
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid]!;
      if (block.length > 0 && before(block[block.length - 1]!)) lo = mid + 1;
      else hi = mid;
    }
    const block = this.blocks[lo]!;
    let first = 0;
    let last = block.length;
    while (first < last) {
      const mid = (first + last) >>> 1;
      if (before(block[mid]!)) first = mid + 1;
      else last = mid;
    }
    return { block: lo, offset: first };
  }

  insert(doc: Doc) {
    const entry = { key: this.keyOf(doc), id: doc._id };
    const { block, offset } = this.lowerBound(entry.key);
    const entries = this.blocks[block]!;
    entries.splice(offset, 0, entry);
    if (entries.length > 2 * BLOCK)
      this.blocks.splice(block, 1, entries.slice(0, BLOCK), entries.slice(BLOCK));
  }

  remove(doc: Doc) {
    const key = this.keyOf(doc);
    let { block, offset } = this.lowerBound(key);
    for (; block < this.blocks.length; block++, offset = 0) {
      const entries = this.blocks[block]!;
      for (; offset < entries.length; offset++) {
        const entry = entries[offset]!;
        if (entry.id === doc._id) {
          entries.splice(offset, 1);
          if (entries.length === 0 && this.blocks.length > 1) this.blocks.splice(block, 1);
          return;
        }
        if (compareKeys(entry.key, key, key.length) !== 0) return;
      }
    }
  }

  /**
   * Ids of a superset of the documents matching `range` (equalities on a prefix of the fields,
   * then at most a lower and an upper bound on the next field); convex-test filters them exactly.
   */
  idsInRange(range: RangeFilter[]): string[] {
    return [...this.idsIn(range, "asc")];
  }

  /** The same ids as `idsInRange`, in index order or its reverse, produced as they are asked for. */
  *idsIn(range: RangeFilter[], order: "asc" | "desc"): Generator<string> {
    const { start, end } = this.bounds(range);
    if (order === "asc") {
      for (let block = start.block; block <= end.block; block++) {
        const entries = this.blocks[block]!;
        const to = block === end.block ? end.offset : entries.length;
        for (let i = block === start.block ? start.offset : 0; i < to; i++) yield entries[i]!.id;
      }
      return;
    }
    for (let block = end.block; block >= start.block; block--) {
      const entries = this.blocks[block]!;
      const from = block === start.block ? start.offset : 0;
      for (let i = (block === end.block ? end.offset : entries.length) - 1; i >= from; i--)
        yield entries[i]!.id;
    }
  }

  private bounds(range: RangeFilter[]): { start: Position; end: Position } {
    const equal: (Value | undefined)[] = [];
    for (const field of this.fields) {
      const eq = range.find((f) => f.type === "Eq" && f.fieldPath === field);
      if (!eq) break;
      equal.push(eq.value);
    }
    const next = this.fields[equal.length];
    const lower = range.find((f) => f.fieldPath === next && (f.type === "Gt" || f.type === "Gte"));
    const upper = range.find((f) => f.fieldPath === next && (f.type === "Lt" || f.type === "Lte"));
    const start = this.lowerBound(lower ? [...equal, lower.value] : equal, lower?.type === "Gt");
    const end = this.lowerBound(upper ? [...equal, upper.value] : equal, upper?.type === "Lte" || !upper);
    return { start, end };
  }
}

/**
 * One transaction layer's written documents sorted by an index. A rewrite that moves a document
 * leaves its old entry in place: the entries are candidates, each read back and filtered by its
 * current value (as convex-test does), so a stale entry costs one read and is never returned.
 */
class PendingIndex {
  private readonly sorted: SortedIndex;
  private readonly lastKey = new Map<string, (Value | undefined)[]>();
  constructor(fields: string[]) {
    this.sorted = new SortedIndex(fields);
  }

  add(doc: Doc) {
    const key = this.sorted.keyOf(doc);
    const last = this.lastKey.get(doc._id);
    if (last !== undefined && compareKeys(last, key, key.length) === 0) return;
    this.lastKey.set(doc._id, key);
    this.sorted.insert(doc);
  }

  idsInRange(range: RangeFilter[]): string[] {
    return this.sorted.idsInRange(range);
  }
}

/** Committed ids per table and sorted indexes per table index, for one committed document map. */
interface TableIndexes {
  documents: object;
  ids: Map<string, Set<string>>;
  sorted: Map<string, SortedIndex>;
  /** The same sorted indexes by table: a commit updates only its documents' tables' indexes. */
  sortedByTable: Map<string, SortedIndex[]>;
}

/** The table numbers of each engine, keyed by its root database. */
const tableNumbersByDb = new WeakMap<object, TableNumbers>();
/** For ids read outside any engine call (one engine per process outside tests). */
let lastTableNumbers = new TableNumbers();

function tableNumbersOf(db: object | null | undefined): TableNumbers {
  return (db && tableNumbersByDb.get(db)) || lastTableNumbers;
}

/** The part of an array convex-test's `queryNext` uses (`length`, `shift`), filled on demand. */
class LazyResults {
  private head: { doc: Doc } | null | undefined = undefined;
  constructor(private readonly docs: Iterator<Doc>) {}

  get length(): number {
    if (this.head === undefined) {
      const next = this.docs.next();
      this.head = next.done ? null : { doc: next.value };
    }
    return this.head === null ? 0 : 1;
  }

  shift(): Doc | undefined {
    if (this.length === 0) return undefined;
    const doc = this.head!.doc;
    this.head = undefined;
    return doc;
  }
}

function installHooks(internals: Internals) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wraps untyped convex-test internals
  type Method = (this: DatabaseFakeLike, ...args: any[]) => any;
  const proto = internals.DatabaseFake.prototype as Record<string, Method>;
  const original = (name: string): Method => {
    const fn = proto[name];
    if (typeof fn !== "function") throw new Error(`convex-test adapter: DatabaseFake.${name} is missing`);
    return fn;
  };
  if ((proto as { __localBackendHooked?: boolean }).__localBackendHooked) return;
  (proto as { __localBackendHooked?: boolean }).__localBackendHooked = true;
  (globalThis as { __convexLocalBackendSiteUrl?: () => string | undefined }).__convexLocalBackendSiteUrl =
    () => siteUrlStorage.getStore();
  Object.assign(globalThis, {
    __convexLocalBackendNewId: (db: object, table: string) => tableNumbersOf(db).newId(table),
    __convexLocalBackendTableOfId: (convexGlobal: ConvexGlobalLike | undefined, id: string) =>
      tableNumbersOf(convexGlobal?.components[""]?.db).tableOfId(id),
    __convexLocalBackendJobStarted: async (db: object, jobId: string) =>
      await hooksByDb.get(db)?.sink?.markJobStarted?.(jobId),
  });
  const tableOfIn = (db: DatabaseFakeLike, id: string) => tableNumbersOf(db).tableOfId(id);

  const origGet = original("get");
  proto.get = function (this: DatabaseFakeLike, table: string | undefined, id: string) {
    const tracker = readTrackerStorage.getStore();
    if (tracker && typeof id === "string") {
      const t = tableOfIn(this, id);
      if (t !== null) tracker.tables.add(t);
    }
    return origGet.call(this, table, id);
  };

  // convex-test walks every document of every table on each query. These indexes, keyed by the
  // committed document map (replaced wholesale on import), make a query walk only its table, and
  // an index range query only its range.
  const indexesByDb = new WeakMap<object, TableIndexes>();
  const indexesOf = (db: DatabaseFakeLike): TableIndexes => {
    let indexes = indexesByDb.get(db);
    if (!indexes || indexes.documents !== db._documents) {
      indexes = { documents: db._documents, ids: new Map(), sorted: new Map(), sortedByTable: new Map() };
      for (const id of Object.keys(db._documents)) {
        const t = tableOfIn(db, id);
        if (t === null) continue;
        let ids = indexes.ids.get(t);
        if (!ids) indexes.ids.set(t, (ids = new Set()));
        ids.add(id);
      }
      indexesByDb.set(db, indexes);
    }
    return indexes;
  };
  const committedIds = (db: DatabaseFakeLike, table: string): Set<string> => {
    const indexes = indexesOf(db);
    let ids = indexes.ids.get(table);
    if (!ids) indexes.ids.set(table, (ids = new Set()));
    return ids;
  };
  const sortedIndex = (db: DatabaseFakeLike, indexName: string, fields: string[]): SortedIndex => {
    const indexes = indexesOf(db);
    let index = indexes.sorted.get(indexName);
    if (!index) {
      index = new SortedIndex(fields);
      const table = indexName.split(".")[0]!;
      index.load([...committedIds(db, table)].map((id) => db._documents[id]!));
      indexes.sorted.set(indexName, index);
      indexes.sortedByTable.set(table, [...(indexes.sortedByTable.get(table) ?? []), index]);
    }
    return index;
  };
  const indexFields = (db: DatabaseFakeLike, indexName: string): string[] | null => {
    const [table, name] = indexName.split(".") as [string, string];
    if (name === "by_creation_time") return ["_creationTime", "_id"];
    if (name === "by_id") return ["_id"];
    if (name === "by_creation_time") return ["_creationTime", "_id"];
    if (name === "by_id") return ["_id"];
    const schema = (db as unknown as { _schema: SchemaLike | null })._schema;
    const index = schema?.tables.get(table)?.indexes.find((i) => i.indexDescriptor === name);
    return index ? [...index.fields, "_creationTime", "_id"] : null;
  };
  type SchemaLike = { tables: Map<string, { indexes: { indexDescriptor: string; fields: string[] }[] }> };

  /**
   * A search's candidates are the documents equal to its filter fields: a sorted index over those
   * fields (kept like the schema's) finds them, as Convex's search index does, instead of a walk
   * of the table. convex-test still applies the search and every filter exactly.
   */
  const searchLookup = (source: Extract<QuerySource, { type: "Search" }>): IndexLookup | null => {
    const equal = source.filters.filter((filter) => filter.type === "Eq");
    if (equal.length === 0) return null;
    const fields = equal.map((filter) => filter.fieldPath);
    const range = equal.map((filter): RangeFilter => ({
      type: "Eq",
      fieldPath: filter.fieldPath,
      value: internals.evaluateQueryValue(filter.value) as Value,
    }));
    return {
      indexName: `${source.indexName}#${fields.join(",")}`,
      fields: [...fields, "_creationTime", "_id"],
      range,
    };
  };

  /** An index, its fields and the range a query reads of it. */
  type IndexLookup = { indexName: string; fields: string[]; range: RangeFilter[] };
  /** The range of the index query being resolved, if any (set around `_resolveQuerySource`). */
  let currentRange: { db: DatabaseFakeLike; ids: string[]; lookup: IndexLookup } | null = null;
  const origResolve = original("_resolveQuerySource");
  proto._resolveQuerySource = function (this: DatabaseFakeLike, query: { source: QuerySource }) {
    const source = query.source;
    if (unindexedDbs.has(this)) return origResolve.call(this, query);
    let lookup: IndexLookup | null = null;
    if (source.type === "Search") lookup = searchLookup(source);
    if (source.type === "IndexRange") {
      const fields = indexFields(this, source.indexName);
      if (fields !== null) lookup = { indexName: source.indexName, fields, range: source.range };
    }
    if (lookup === null) return origResolve.call(this, query);
    const ids = sortedIndex(this, lookup.indexName, lookup.fields).idsInRange(lookup.range);
    const previous = currentRange;
    currentRange = { db: this, ids, lookup };
    try {
      return origResolve.call(this, query);
    } finally {
      currentRange = previous;
    }
  };

  // Ids written by each open transaction layer, by table. A mutation's every query visits its
  // table's pending writes; finding them by decoding every id the mutation wrote made a batch
  // ingest (hundreds of writes, hundreds of lookups) quadratic.
  const pendingByLayer = new WeakMap<object, Map<string, Set<string>>>();
  // The same writes sorted by each index a query of the transaction used, by layer and table, so
  // an upsert after thousands of writes to its table reads its range of them, not all of them.
  const pendingIndexesByLayer = new WeakMap<object, Map<string, Map<string, PendingIndex>>>();
  const origAddWrite = original("_addWrite");
  proto._addWrite = function (this: DatabaseFakeLike, id: string, doc: Doc | null) {
    origAddWrite.call(this, id, doc);
    const layer = this._writes[this._writes.length - 1]!;
    const table = tableOfIn(this, id);
    if (table === null) return;
    let byTable = pendingByLayer.get(layer);
    if (!byTable) pendingByLayer.set(layer, (byTable = new Map()));
    let ids = byTable.get(table);
    if (!ids) byTable.set(table, (ids = new Set()));
    ids.add(id);
    if (doc === null) return;
    for (const index of pendingIndexesByLayer.get(layer)?.get(table)?.values() ?? []) index.add(doc);
  };

  /** A layer's written ids of `table` that may lie in `lookup`'s range (built on first use). */
  const pendingInRange = (
    layer: Record<string, Doc | null>,
    table: string,
    lookup: IndexLookup,
  ): Iterable<string> => {
    const ids = pendingByLayer.get(layer)?.get(table);
    if (!ids) return [];
    let byTable = pendingIndexesByLayer.get(layer);
    if (!byTable) pendingIndexesByLayer.set(layer, (byTable = new Map()));
    let indexes = byTable.get(table);
    if (!indexes) byTable.set(table, (indexes = new Map()));
    let index = indexes.get(lookup.indexName);
    if (!index) {
      index = new PendingIndex(lookup.fields);
      for (const id of ids) {
        const doc = layer[id];
        if (doc) index.add(doc);
      }
      indexes.set(lookup.indexName, index);
    }
    return index.idsInRange(lookup.range);
  };

  /** Whether the open transaction has written to `table` (the sorted indexes hold committed rows only). */
  const writesTo = (db: DatabaseFakeLike, table: string) =>
    db._writes.some((layer) => pendingByLayer.get(layer)?.has(table) === true);

  /**
   * convex-test evaluates a query whole when it starts: every document of the range fetched and
   * sorted, though the function may stop after a few. An index range over committed rows is
   * produced lazily in index order instead, so a query that stops early costs what it read.
   * Same documents, order and filters; a transaction that wrote the table keeps the whole walk.
   */
  const origStartQuery = original("startQuery");
  proto.startQuery = function (
    this: DatabaseFakeLike,
    query: { source: QuerySource; operators: QueryOperator[] },
  ) {
    const source = query.source;
    if (unindexedDbs.has(this) || source.type !== "IndexRange") return origStartQuery.call(this, query);
    const fields = indexFields(this, source.indexName);
    const table = source.indexName.split(".")[0]!;
    if (fields === null || writesTo(this, table)) return origStartQuery.call(this, query);
    internals.validateIndexRangeExpression(source, fields);
    readTrackerStorage.getStore()?.tables.add(table);
    const filters = query.operators.flatMap((operator) => ("filter" in operator ? [operator.filter] : []));
    const limit = query.operators.find((operator) => "limit" in operator) as { limit: number } | undefined;
    const ids = sortedIndex(this, source.indexName, fields).idsIn(
      source.range,
      source.order === "desc" ? "desc" : "asc",
    );
    const hooks = hooksByDb.get(this);
    const range = source.range;
    function* matching(db: DatabaseFakeLike): Generator<Doc> {
      let produced = 0;
      for (const id of ids) {
        if (limit !== undefined && produced >= limit.limit) return;
        const doc = db.get(table, id);
        if (hooks) hooks.documentsVisited += 1;
        if (doc === null) continue;
        if (!range.every((filter) => internals.evaluateRangeFilter(doc, filter))) continue;
        if (!filters.every((filter) => internals.evaluateFilter(doc, filter))) continue;
        produced++;
        yield doc;
      }
    }
    const id = this._nextQueryId;
    this._queryResults[id] = new LazyResults(matching(this));
    this._nextQueryId += 1;
    return id;
  };

  const origIterate = original("_iterateDocs");
  proto._iterateDocs = function (this: DatabaseFakeLike, table: string, cb: unknown) {
    readTrackerStorage.getStore()?.tables.add(table);
    if (unindexedDbs.has(this)) return origIterate.call(this, table, cb);
    const callback = cb as (doc: Doc) => void;
    const committed = committedIds(this, table);
    const range = currentRange?.db === this ? currentRange.ids : null;
    const hooks = hooksByDb.get(this);
    for (const id of range ?? committed) {
      const doc = this.get(table, id) as Doc | null;
      if (hooks) hooks.documentsVisited += 1;
      if (doc !== null) callback(doc);
    }
    // Writes of the open transaction: convex-test filters them by the range itself.
    const seen = range ? new Set(range) : committed;
    const pendingOnly = new Set<string>();
    for (const layer of this._writes) {
      const written =
        currentRange?.db === this
          ? pendingInRange(layer, table, currentRange.lookup)
          : (pendingByLayer.get(layer)?.get(table) ?? []);
      for (const id of written) {
        if (!seen.has(id)) pendingOnly.add(id);
      }
    }
    for (const id of pendingOnly) {
      const doc = this.get(table, id) as Doc | null;
      if (hooks) hooks.documentsVisited += 1;
      if (doc !== null) callback(doc);
    }
  };

  const origCommit = original("commit");
  proto.commit = function (this: DatabaseFakeLike, commitTs: bigint | null = null) {
    const topLevel = this._writes.length === 1;
    const pending = this._writes[this._writes.length - 1] ?? {};
    const indexes = topLevel ? indexesByDb.get(this) : undefined;
    const before = new Map<string, Doc | undefined>();
    if (topLevel) for (const id of Object.keys(pending)) before.set(id, this._documents[id]);
    const result = origCommit.call(this, commitTs);
    if (!topLevel) return result;
    const tables = new Set<string>();
    const documents = new Map<string, Doc | null>();
    const importTables = importTablesStorage.getStore();
    for (const [id, old] of before) {
      const t = importTables?.get(id) ?? tableOfIn(this, id);
      if (t === null) continue;
      tables.add(t);
      const doc = this._documents[id] ?? null;
      documents.set(id, doc);
      if (indexes && indexes.documents === this._documents) {
        let ids = indexes.ids.get(t);
        if (!ids) indexes.ids.set(t, (ids = new Set()));
        if (doc === null) ids.delete(id);
        else ids.add(id);
        for (const index of indexes.sortedByTable.get(t) ?? []) {
          if (old) index.remove(old);
          if (doc) index.insert(doc);
        }
      }
    }
    const hooks = hooksByDb.get(this);
    if (!hooks || commitTs === null) return result;
    const recorder = callRecorderStorage.getStore();
    if (recorder) recorder.ts = commitTs;
    const durable =
      hooks.sink && documents.size > 0
        ? hooks.sink.writeCommit({
            ts: commitTs,
            documents,
            tableNumbers: tableNumbersOf(this).takeChanged() ? tableNumbersOf(this).entries() : null,
            nextDocId: this._nextDocId,
            lastCreationTime: this._lastCreationTime,
          })
        : Promise.resolve();
    recorder?.durable.push(durable);
    hooks.notifyChain = hooks.notifyChain
      .then(() => durable)
      .then(
        () =>
          rootScope.runInAsyncScope(() => {
            for (const listener of hooks.commitListeners) {
              try {
                listener({ tables, ts: commitTs });
              } catch (error) {
                console.error("[local-backend] commit listener failed", error);
              }
            }
          }),
        (error: unknown) => console.error("[local-backend] a commit could not be saved", error),
      );
    return result;
  };

  const origStoreFile = original("storeFile");
  proto.storeFile = function (this: DatabaseFakeLike, storageId: string, blob: Blob) {
    const result = origStoreFile.call(this, storageId, blob);
    const hooks = hooksByDb.get(this);
    if (!hooks) return result;
    if (hooks.sink) callRecorderStorage.getStore()?.durable.push(hooks.sink.writeFile(storageId, blob));
    rootScope.runInAsyncScope(() => {
      for (const listener of hooks.fileListeners) listener(storageId);
    });
    return result;
  };
}

/**
 * A convex-test function runs as one chain of promise callbacks, so a large mutation would keep
 * Node's event loop from serving anything else (a health check, another request's parsing) until
 * it ends. At a database call after `BUSY_SLICE_MS` of running, the function lets the event loop
 * take a turn. Other transactions still wait for the lock, so isolation is unchanged.
 */
const BUSY_SLICE_MS = 2;
const setImmediateOfNode = setImmediate;
let lastYieldAt = performance.now();
async function yieldIfBusy(): Promise<void> {
  if (performance.now() - lastYieldAt < BUSY_SLICE_MS) return;
  await new Promise((resolve) => setImmediateOfNode(resolve));
  lastYieldAt = performance.now();
}

/** Runs `call`, then waits until every commit and file it made is durable. */
async function durably<T>(call: () => Promise<T>): Promise<{ value: T; commitTs: bigint | null }> {
  const recorder: CallRecorder = { ts: null, durable: [] };
  const value = await callRecorderStorage.run(recorder, call);
  await Promise.all(recorder.durable);
  return { value, commitTs: recorder.ts };
}

// ---------------------------------------------------------------------------------------------
// The engine: one convex-test instance plus accessors for the server.

export interface Identity {
  subject: string;
  issuer: string;
  tokenIdentifier: string;
  [claim: string]: unknown;
}

export interface Snapshot {
  format: 1;
  /** Table name → number; absent in stores written before real ids. */
  tableNumbers?: [string, number][];
  nextDocId: number;
  lastCreationTime: number;
  lastCommitTs: string;
  documents: unknown[];
}

export interface EngineOptions {
  schema: unknown;
  /** Module path (containing "/_generated/" for the generated files) → loader. */
  modules: Record<string, () => Promise<unknown>>;
  /** Base URL for storage URLs (the deployment URL, e.g. http://127.0.0.1:3210). */
  storageBaseUrl: () => string;
  /** Site URL that HTTP actions see in `request.url`. */
  siteUrl: () => string;
  /** False keeps convex-test's own walk over every document (a reference for tests). */
  indexed?: boolean;
  /** Environment variables the functions see in `process.env` (over the process's own). */
  env?: Record<string, string>;
}

export interface RunResult<T> {
  value: T;
  /** Commit timestamp of the last top-level commit made by this call (mutations). */
  commitTs: bigint | null;
}

export class Engine {
  private readonly hooks: EngineHooks = {
    commitListeners: new Set(),
    fileListeners: new Set(),
    sink: null,
    notifyChain: Promise.resolve(),
    documentsVisited: 0,
  };
  /** Every table's number, encoded in its document ids. */
  readonly tableNumbers = new TableNumbers();

  private constructor(
    private readonly t: TestConvex,
    private readonly internals: Internals,
    private readonly convexGlobal: ConvexGlobalLike,
    private readonly options: EngineOptions,
  ) {}

  static async create(options: EngineOptions): Promise<Engine> {
    const mod = await loadPatchedConvexTest();
    const t = mod.convexTest(options.schema, options.modules);
    const internals = mod.__localBackendInternals;
    wrapProcessEnv();
    let convexGlobal: ConvexGlobalLike | null = null;
    await t.run(async () => {
      convexGlobal = internals.getConvexGlobal();
      return null;
    });
    if (convexGlobal === null) throw new Error("convex-test adapter: could not reach the convex global");
    const engine = new Engine(t, internals, convexGlobal, options);
    engine.wrapSyscalls();
    hooksByDb.set(engine.db, engine.hooks);
    tableNumbersByDb.set(engine.db, engine.tableNumbers);
    lastTableNumbers = engine.tableNumbers;
    if (options.indexed === false) unindexedDbs.add(engine.db);
    return engine;
  }

  private get db(): DatabaseFakeLike {
    const root = this.convexGlobal.components[""];
    if (!root) throw new Error("convex-test adapter: root component missing");
    return root.db;
  }

  private wrapSyscalls() {
    const original = this.convexGlobal.asyncSyscall;
    const options = this.options;
    this.convexGlobal.asyncSyscall = async (op: string, jsonArgs: string) => {
      await yieldIfBusy();
      switch (op) {
        case "1.0/storageGetUrl": {
          const { storageId } = JSON.parse(jsonArgs) as { storageId: string };
          if (this.db.get("_storage", storageId) === null) return JSON.stringify(null);
          return JSON.stringify(`${options.storageBaseUrl()}/api/storage/${encodeURIComponent(storageId)}`);
        }
        case "1.0/storageGenerateUploadUrl": {
          const token = createHash("sha256")
            .update(`${Math.random()}${Date.now()}`)
            .digest("hex")
            .slice(0, 32);
          return JSON.stringify(`${options.storageBaseUrl()}/api/storage/upload?token=${token}`);
        }
        case "1.0/queryPage": {
          const journal = readTrackerStorage.getStore()?.journal;
          if (!journal) return await original(op, jsonArgs);
          const args = JSON.parse(jsonArgs) as { endCursor?: string | null };
          const replay =
            journal.endCursor !== null && (args.endCursor === null || args.endCursor === undefined);
          if (replay) args.endCursor = journal.endCursor;
          const result = await original(op, JSON.stringify(args));
          const parsed = JSON.parse(result) as { continueCursor: string };
          if (!replay && (args.endCursor === null || args.endCursor === undefined)) {
            journal.endCursor = parsed.continueCursor;
          }
          return result;
        }
        default:
          return await original(op, jsonArgs);
      }
    };
  }

  /** Runs `call` where `process.env` shows this engine's variables (scheduled jobs inherit it). */
  private inEnv<T>(call: () => Promise<T>): Promise<T> {
    return envStorage.run(this.options.env ?? {}, call);
  }

  accessor(identity: Identity | null): TestAccessor {
    return identity === null ? this.t : this.t.withIdentity(identity);
  }

  /** Runs a query, recording the tables it read and applying/recording its journal. */
  async runQuery(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
    journal: { endCursor: string | null } | null = null,
  ): Promise<{ value: unknown; tables: Set<string> }> {
    const tracker: ReadTracker = { tables: new Set(), journal };
    const value = await this.inEnv(() =>
      readTrackerStorage.run(tracker, () =>
        this.accessor(identity).query(makeFunctionReference<"query">(udfPath), args),
      ),
    );
    return { value, tables: tracker.tables };
  }

  async runMutation(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ): Promise<RunResult<unknown>> {
    return await this.inEnv(() =>
      durably(() =>
        readTrackerStorage.exit(() =>
          this.accessor(identity).mutation(makeFunctionReference<"mutation">(udfPath), args),
        ),
      ),
    );
  }

  async runAction(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ): Promise<RunResult<unknown>> {
    return await this.inEnv(() =>
      durably(() =>
        readTrackerStorage.exit(() =>
          this.accessor(identity).action(makeFunctionReference<"action">(udfPath), args),
        ),
      ),
    );
  }

  async fetch(path: string, init: RequestInit, identity: Identity | null): Promise<Response> {
    const { value } = await this.inEnv(() =>
      durably(() =>
        siteUrlStorage.run(this.options.siteUrl(), () =>
          readTrackerStorage.exit(() => this.accessor(identity).fetch(path, init)),
        ),
      ),
    );
    return value;
  }

  /** Stores a file the way `ctx.storage.store` does, plus its content type. */
  async storeFile(blob: Blob, contentType: string | null): Promise<string> {
    const { value } = await this.inEnv(() =>
      durably(() =>
        this.t.run(async (ctx) => {
          const id = await ctx.storage.store(blob);
          if (contentType) this.db.patch("_storage", id, { contentType });
          return id;
        }),
      ),
    );
    return value;
  }

  getFile(storageId: string): { blob: Blob; contentType: string | null } | null {
    const doc = this.db._documents[storageId];
    const blob = this.db._storage[storageId];
    if (!doc || !blob) return null;
    const contentType = typeof doc.contentType === "string" ? doc.contentType : null;
    return { blob, contentType };
  }

  /** The latest commit timestamp (nanoseconds); 0 for an empty database. */
  get lastCommitTs(): bigint {
    return this.convexGlobal.transactionManager._lastCommitTs;
  }

  /** Documents its queries have read as candidates so far (a full table scan reads them all). */
  get documentsVisited(): number {
    return this.hooks.documentsVisited;
  }

  /** Hears this engine's commits, in commit order, each once it is durable. */
  onCommit(listener: CommitListener): () => void {
    this.hooks.commitListeners.add(listener);
    return () => this.hooks.commitListeners.delete(listener);
  }

  onFileStored(listener: (storageId: string) => void): () => void {
    this.hooks.fileListeners.add(listener);
    return () => this.hooks.fileListeners.delete(listener);
  }

  /** Makes every later commit and stored file durable through `sink` before a call returns. */
  setDurableSink(sink: DurableSink | null) {
    this.hooks.sink = sink;
  }

  /** Waits until every commit so far is durable and its listeners have run. */
  async settled(): Promise<void> {
    let chain: Promise<void>;
    do {
      chain = this.hooks.notifyChain;
      await chain;
    } while (chain !== this.hooks.notifyChain);
  }

  /** Committed state only (call outside transactions: between awaits of the server). */
  exportSnapshot(): Snapshot {
    const db = this.db;
    return {
      format: 1,
      tableNumbers: this.tableNumbers.entries(),
      nextDocId: db._nextDocId,
      lastCreationTime: db._lastCreationTime,
      lastCommitTs: this.lastCommitTs.toString(),
      documents: Object.values(db._documents).map((doc) => convexToJson(doc as Value)),
    };
  }

  storedFileIds(): string[] {
    return Object.keys(this.db._storage).filter((id) => this.db._documents[id] !== undefined);
  }

  fileBlob(storageId: string): Blob | null {
    return this.db._documents[storageId] ? (this.db._storage[storageId] ?? null) : null;
  }

  importSnapshot(snapshot: Snapshot, files: Map<string, Blob>) {
    if (snapshot.format !== 1) throw new Error(`Unknown snapshot format ${String(snapshot.format)}`);
    const db = this.db;
    for (const [name, number] of snapshot.tableNumbers ?? []) this.tableNumbers.set(name, number);
    this.tableNumbers.takeChanged();
    db._documents = {};
    for (const json of snapshot.documents) {
      const doc = jsonToConvex(json as never) as Doc;
      db._documents[doc._id] = doc;
    }
    db._storage = {};
    for (const [id, blob] of files) db._storage[id] = blob;
    db._nextDocId = snapshot.nextDocId;
    db._lastCreationTime = snapshot.lastCreationTime;
    this.convexGlobal.transactionManager._lastCommitTs = BigInt(snapshot.lastCommitTs);
  }

  /** Whether a committed document has this id. */
  hasDocument(id: string): boolean {
    return this.db._documents[id] !== undefined;
  }

  /** User table names of the schema (tables that exist on Convex even while empty). */
  schemaTableNames(): string[] {
    return [...(this.db._schema?.tables.keys() ?? [])];
  }

  /**
   * User tables that exist, empty or not, as in Convex's table mapping: the schema's and every
   * table that has a number (given by its first write or by an import that brought it).
   */
  userTableNames(): string[] {
    const names = new Set(this.schemaTableNames());
    for (const [name] of this.tableNumbers.entries()) if (!isSystemTable(name)) names.add(name);
    return [...names];
  }

  /**
   * The committed documents per table as of now, with the commit timestamp they reflect.
   * Committed documents are replaced, never changed in place, so holding these references keeps
   * a consistent snapshot while later commits go on (call between transactions).
   */
  committedSnapshot(): { ts: bigint; tables: Map<string, Doc[]>; files: Map<string, Blob> } {
    const tables = new Map<string, Doc[]>();
    const documents = this.db._documents;
    for (const id in documents) {
      const table = this.tableNumbers.tableOfId(id);
      if (table === null) continue;
      let docs = tables.get(table);
      if (!docs) tables.set(table, (docs = []));
      docs.push(documents[id]!);
    }
    const files = new Map<string, Blob>();
    for (const doc of tables.get("_storage") ?? []) {
      const blob = this.db._storage[doc._id];
      if (blob) files.set(doc._id, blob);
    }
    return { ts: this.lastCommitTs, tables, files };
  }

  /** Checks a document against its table's schema, as an insert would; throws the validator's error. */
  validateDocument(table: string, fields: Record<string, Value>) {
    this.db._validate(table, fields);
  }

  /**
   * Writes an import in one transaction (one commit: all of it or none of it): deletes every
   * document of `clearTables`, moves tables to the numbers given, then inserts the documents with
   * their own `_id` and `_creationTime`, and stores the files. The documents may stream in (the
   * commit holds the only copy of them); if their source throws, nothing is written. Resolves once
   * the commit is durable, with its timestamp.
   */
  async commitImport(plan: {
    clearTables: string[];
    tableNumbers: [string, number][];
    documents: Iterable<{ table: string; doc: Doc }> | AsyncIterable<{ table: string; doc: Doc }>;
    files: Map<string, Blob>;
  }): Promise<bigint | null> {
    const tableOfWrite = new Map<string, string>();
    const { commitTs } = await this.inEnv(() =>
      durably(() =>
        importTablesStorage.run(tableOfWrite, () =>
          readTrackerStorage.exit(() =>
            this.t.run(async () => {
              const db = this.db;
              const clear = new Set(plan.clearTables);
              for (const [id, doc] of Object.entries(db._documents)) {
                const table = this.tableNumbers.tableOfId(id);
                if (table === null || !clear.has(table)) continue;
                tableOfWrite.set(doc._id, table);
                db.delete(table, id);
              }
              for (const [name, number] of plan.tableNumbers) this.tableNumbers.set(name, number);
              for await (const { table, doc } of plan.documents) {
                tableOfWrite.set(doc._id, table);
                db._addWrite(doc._id, doc);
                if (doc._creationTime > db._lastCreationTime) db._lastCreationTime = doc._creationTime;
              }
              for (const [id, blob] of plan.files) db.storeFile(id, blob);
              return null;
            }),
          ),
        ),
      ),
    );
    return commitTs;
  }

  /** Documents of `_scheduled_functions` that still have to run. */
  pendingJobs(): { id: string; name: string; scheduledTime: number; args: Value; state: string }[] {
    const jobs = [];
    for (const doc of Object.values(this.db._documents)) {
      if (this.tableNumbers.tableOfId(doc._id) !== "_scheduled_functions") continue;
      const state = (doc.state as { kind: string }).kind;
      if (state === "pending" || state === "inProgress") {
        jobs.push({
          id: doc._id,
          name: doc.name as string,
          scheduledTime: doc.scheduledTime as number,
          args: (doc.args as Value[])[0] ?? {},
          state,
        });
      }
    }
    return jobs;
  }

  /**
   * Fails the jobs whose run was lost: recorded as started, yet still pending or in progress.
   * Such a job may have frozen or crashed the process, so it is not run again (Convex likewise
   * fails an action whose run was lost rather than retry it). Resolves once the failure is durable.
   */
  async failLostJobs(startedJobIds: Iterable<string>): Promise<number> {
    const lost = new Set(startedJobIds);
    const jobs = this.pendingJobs().filter((job) => lost.has(job.id));
    if (jobs.length === 0) return 0;
    await this.inEnv(() =>
      durably(() =>
        readTrackerStorage.exit(() =>
          this.t.run(async () => {
            for (const job of jobs)
              this.db.patch("_scheduled_functions", job.id, {
                state: { kind: "failed", error: LOST_JOB_ERROR },
                completedTime: Date.now(),
              });
            return null;
          }),
        ),
      ),
    );
    return jobs.length;
  }

  /**
   * Re-arms scheduled jobs loaded from disk (convex-test keeps them only as timers). A job that
   * was in progress but never recorded as started (see `failLostJobs`) is run from the start.
   */
  rearmScheduledJobs(setTimer: (cb: () => void, ms: number) => void) {
    for (const job of this.pendingJobs()) {
      if (job.state === "inProgress") {
        const doc = this.db._documents[job.id];
        if (doc) this.db._documents[job.id] = { ...doc, state: { kind: "pending" } };
      }
      setTimer(
        () => {
          void this.inEnv(() =>
            this.internals.convexGlobalStorage.run(this.convexGlobal, () =>
              this.internals.runScheduledFunction({
                db: this.db,
                jobId: job.id,
                componentPath: "",
                functionPath: { udfPath: job.name, componentPath: "" },
                args: job.args,
                name: job.name,
              }),
            ),
          ).catch((error: unknown) =>
            console.error(`[local-backend] scheduled job ${job.name} failed`, error),
          );
        },
        Math.max(0, job.scheduledTime - Date.now()),
      );
    }
  }
}
