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
import { convexToJson, jsonToConvex, type Value } from "convex/values";

export const EXPECTED_CONVEX_TEST_VERSION = "0.0.60";

/** Source anchors the patch relies on; each must occur exactly once. */
export const PATCH_ANCHORS = {
  transactionMetricsImport: `from "./transactionMetrics.js";`,
  siteUrl: "const url = new URL(`https://some.convex.site${path}`);",
  databaseFake: "class DatabaseFake {",
  transactionManager: "class TransactionManager {",
  getConvexGlobal: "function getConvexGlobal() {",
  runScheduledFunction: "async function runScheduledFunction({",
  tableNameFromId: "function tableNameFromId(id) {",
  convexGlobalStorage: "const convexGlobalStorage = new AsyncLocalStorage();",
} as const;

/** DatabaseFake / TransactionManager members the adapter reads or wraps. */
export const DATABASE_MEMBERS = ["get", "_iterateDocs", "commit", "storeFile", "patch", "insert"] as const;
export const DATABASE_FIELDS = [
  "_documents",
  "_storage",
  "_nextDocId",
  "_lastCreationTime",
  "_writes",
] as const;

type Doc = Record<string, Value> & { _id: string; _creationTime: number };

interface DatabaseFakeLike {
  _documents: Record<string, Doc>;
  _storage: Record<string, Blob>;
  _nextDocId: number;
  _lastCreationTime: number;
  _writes: Record<string, Doc | null>[];
  get(table: string | undefined, id: string): Doc | null;
  patch(table: string, id: string, value: Record<string, unknown>): void;
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
      .replace(
        PATCH_ANCHORS.siteUrl,
        'const url = new URL(`${globalThis.__convexLocalBackendSiteUrl ?? "https://some.convex.site"}${path}`);',
      ) +
    "\nexport const __localBackendInternals = { DatabaseFake, TransactionManager, getConvexGlobal, " +
    "convexGlobalStorage, runScheduledFunction, tableNameFromId };\n"
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
// Hooks: read tracking, commit notification, file notification.

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
const commitListeners = new Set<CommitListener>();
const fileListeners = new Set<(storageId: string) => void>();

/**
 * Listeners run in the async context this module was loaded in, not in the transaction that
 * committed: convex-test's per-call overrides (e.g. `setTimeout` disallowed in mutations) and
 * its AsyncLocalStorage state must not leak into the server's timers and promise chains.
 */
const rootScope = new AsyncResource("convex-local-backend-listeners");

/** Records the commit timestamps of top-level commits made in the current async context. */
const commitRecorderStorage = new AsyncLocalStorage<{ ts: bigint | null }>();

function installHooks(internals: Internals) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wraps untyped convex-test internals
  type Method = (this: DatabaseFakeLike, ...args: any[]) => unknown;
  const proto = internals.DatabaseFake.prototype as Record<string, Method>;
  const original = (name: string): Method => {
    const fn = proto[name];
    if (typeof fn !== "function") throw new Error(`convex-test adapter: DatabaseFake.${name} is missing`);
    return fn;
  };
  if ((proto as { __localBackendHooked?: boolean }).__localBackendHooked) return;
  (proto as { __localBackendHooked?: boolean }).__localBackendHooked = true;
  const tableOf = internals.tableNameFromId;

  const origGet = original("get");
  proto.get = function (this: DatabaseFakeLike, table: string | undefined, id: string) {
    const tracker = readTrackerStorage.getStore();
    if (tracker && typeof id === "string") {
      const t = tableOf(id);
      if (t !== null) tracker.tables.add(t);
    }
    return origGet.call(this, table, id);
  };
  original("_iterateDocs");
  // convex-test walks every document of every table, matching each id, on each query; a
  // per-table id index keyed by the committed document map makes a query walk only its table.
  const idsByTable = new WeakMap<object, Map<string, Set<string>>>();
  const committedIds = (db: DatabaseFakeLike, table: string): Set<string> => {
    let byTable = idsByTable.get(db._documents);
    if (!byTable) {
      byTable = new Map();
      for (const id of Object.keys(db._documents)) {
        const t = tableOf(id);
        if (t === null) continue;
        let ids = byTable.get(t);
        if (!ids) byTable.set(t, (ids = new Set()));
        ids.add(id);
      }
      idsByTable.set(db._documents, byTable);
    }
    let ids = byTable.get(table);
    if (!ids) byTable.set(table, (ids = new Set()));
    return ids;
  };
  proto._iterateDocs = function (this: DatabaseFakeLike, table: string, cb: unknown) {
    readTrackerStorage.getStore()?.tables.add(table);
    const callback = cb as (doc: Doc) => void;
    const committed = committedIds(this, table);
    for (const id of committed) {
      const doc = this.get(table, id) as Doc | null;
      if (doc !== null) callback(doc);
    }
    const pendingOnly = new Set<string>();
    for (const layer of this._writes) {
      for (const id of Object.keys(layer)) {
        if (!committed.has(id) && tableOf(id) === table) pendingOnly.add(id);
      }
    }
    for (const id of pendingOnly) {
      const doc = this.get(table, id) as Doc | null;
      if (doc !== null) callback(doc);
    }
  };
  const origCommit = original("commit");
  proto.commit = function (this: DatabaseFakeLike, commitTs: bigint | null = null) {
    const topLevel = this._writes.length === 1;
    const pending = this._writes[this._writes.length - 1] ?? {};
    const tables = new Set<string>();
    for (const id of Object.keys(pending)) {
      const t = tableOf(id);
      if (t !== null) tables.add(t);
    }
    const result = origCommit.call(this, commitTs);
    const index = topLevel ? idsByTable.get(this._documents) : undefined;
    if (index) {
      for (const id of Object.keys(pending)) {
        const t = tableOf(id);
        if (t === null) continue;
        let ids = index.get(t);
        if (!ids) index.set(t, (ids = new Set()));
        if (this._documents[id] === undefined) ids.delete(id);
        else ids.add(id);
      }
    }
    if (topLevel && commitTs !== null) {
      const recorder = commitRecorderStorage.getStore();
      if (recorder) recorder.ts = commitTs;
      rootScope.runInAsyncScope(() => {
        for (const listener of commitListeners) {
          try {
            listener({ tables, ts: commitTs });
          } catch (error) {
            console.error("[local-backend] commit listener failed", error);
          }
        }
      });
    }
    return result;
  };
  const origStoreFile = original("storeFile");
  proto.storeFile = function (this: DatabaseFakeLike, storageId: string, blob: Blob) {
    const result = origStoreFile.call(this, storageId, blob);
    rootScope.runInAsyncScope(() => {
      for (const listener of fileListeners) listener(storageId);
    });
    return result;
  };
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
}

export interface RunResult<T> {
  value: T;
  /** Commit timestamp of the last top-level commit made by this call (mutations). */
  commitTs: bigint | null;
}

export class Engine {
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
    let convexGlobal: ConvexGlobalLike | null = null;
    await t.run(async () => {
      convexGlobal = internals.getConvexGlobal();
      return null;
    });
    if (convexGlobal === null) throw new Error("convex-test adapter: could not reach the convex global");
    const engine = new Engine(t, internals, convexGlobal, options);
    engine.wrapSyscalls();
    (globalThis as { __convexLocalBackendSiteUrl?: string }).__convexLocalBackendSiteUrl = options.siteUrl();
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
    const value = await readTrackerStorage.run(tracker, () =>
      this.accessor(identity).query(makeFunctionReference<"query">(udfPath), args),
    );
    return { value, tables: tracker.tables };
  }

  async runMutation(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ): Promise<RunResult<unknown>> {
    const recorder = { ts: null as bigint | null };
    const value = await commitRecorderStorage.run(recorder, () =>
      readTrackerStorage.exit(() =>
        this.accessor(identity).mutation(makeFunctionReference<"mutation">(udfPath), args),
      ),
    );
    return { value, commitTs: recorder.ts };
  }

  async runAction(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ): Promise<RunResult<unknown>> {
    const recorder = { ts: null as bigint | null };
    const value = await commitRecorderStorage.run(recorder, () =>
      readTrackerStorage.exit(() =>
        this.accessor(identity).action(makeFunctionReference<"action">(udfPath), args),
      ),
    );
    return { value, commitTs: recorder.ts };
  }

  async fetch(path: string, init: RequestInit, identity: Identity | null): Promise<Response> {
    (globalThis as { __convexLocalBackendSiteUrl?: string }).__convexLocalBackendSiteUrl =
      this.options.siteUrl();
    return await readTrackerStorage.exit(() => this.accessor(identity).fetch(path, init));
  }

  /** Stores a file the way `ctx.storage.store` does, plus its content type. */
  async storeFile(blob: Blob, contentType: string | null): Promise<string> {
    return await this.t.run(async (ctx) => {
      const id = await ctx.storage.store(blob);
      if (contentType) this.db.patch("_storage", id, { contentType });
      return id;
    });
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

  onCommit(listener: CommitListener): () => void {
    commitListeners.add(listener);
    return () => commitListeners.delete(listener);
  }

  onFileStored(listener: (storageId: string) => void): () => void {
    fileListeners.add(listener);
    return () => fileListeners.delete(listener);
  }

  /** Committed state only (call outside transactions: between awaits of the server). */
  exportSnapshot(): Snapshot {
    const db = this.db;
    return {
      format: 1,
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

  /** Documents of `_scheduled_functions` that still have to run. */
  pendingJobs(): { id: string; name: string; scheduledTime: number; args: Value; state: string }[] {
    const jobs = [];
    for (const doc of Object.values(this.db._documents)) {
      if (this.internals.tableNameFromId(doc._id) !== "_scheduled_functions") continue;
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
   * Re-arms scheduled jobs loaded from disk (convex-test keeps them only as timers). A job that
   * was in progress when the process stopped is run again from the start.
   */
  rearmScheduledJobs(setTimer: (cb: () => void, ms: number) => void) {
    for (const job of this.pendingJobs()) {
      if (job.state === "inProgress") {
        const doc = this.db._documents[job.id];
        if (doc) this.db._documents[job.id] = { ...doc, state: { kind: "pending" } };
      }
      setTimer(
        () => {
          void this.internals.convexGlobalStorage
            .run(this.convexGlobal, () =>
              this.internals.runScheduledFunction({
                db: this.db,
                jobId: job.id,
                componentPath: "",
                functionPath: { udfPath: job.name, componentPath: "" },
                args: job.args,
                name: job.name,
              }),
            )
            .catch((error: unknown) =>
              console.error(`[local-backend] scheduled job ${job.name} failed`, error),
            );
        },
        Math.max(0, job.scheduledTime - Date.now()),
      );
    }
  }
}
