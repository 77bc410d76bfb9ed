/**
 * The local backend's durable store: an LMDB database in the data folder, written per commit with
 * only the documents that commit changed, and file bodies of `_storage` beside them.
 *
 * LMDB commits are transactional and fsynced (`overlappingSync: false` makes a write's promise
 * resolve only once its transaction is on disk), and writes issued while one transaction is being
 * flushed are grouped into the next, so many concurrent commits share one fsync. The writing
 * happens on LMDB's own thread, never as a rewrite of the whole store on the main thread.
 *
 * The folder and the database files are owner-only: they hold password hashes and secrets.
 *
 * An older store (`db.json` + `files/`, whole snapshots) in the same folder is migrated on the
 * first start, once: its documents and files are copied in one transaction, then the old files
 * are renamed with a `.migrated` suffix.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { open, type Database, type RootDatabase } from "lmdb";
import { convexToJson, type Value } from "convex/values";
import type { CommitChanges, Doc, DurableSink, Snapshot } from "./convexTestAdapter.ts";

const DATABASE_FILE = "store.mdb";
const LEGACY_SNAPSHOT = "db.json";
const LEGACY_FILES = "files";
const META_KEY = "meta";

interface Meta {
  /** Table name → number (ids encode the number); absent in stores written before real ids. */
  tableNumbers?: [string, number][];
  nextDocId: number;
  lastCreationTime: number;
  lastCommitTs: string;
}

type JsonDoc = { _id: string } & Record<string, unknown>;

export const OWNER_ONLY_DIR = 0o700;
export const OWNER_ONLY_FILE = 0o600;

/** A `_scheduled_functions` document whose job has not ended (a deleted one has). */
function jobStillRuns(doc: Doc | null): boolean {
  const kind = (doc?.state as { kind?: unknown } | undefined)?.kind;
  return kind === "pending" || kind === "inProgress";
}

export class Store implements DurableSink {
  /** The newest table-number map and meta handed to LMDB (writes may still be in flight). */
  private tableNumbers: [string, number][] | undefined;
  private lastMeta: Meta | undefined;
  /** The ids in `startedJobs`, so a commit finds the jobs it finishes without reading the disk. */
  private readonly started = new Set<string>();

  private constructor(
    readonly dir: string,
    private readonly root: RootDatabase,
    private readonly documents: Database<JsonDoc, string>,
    private readonly files: Database<Buffer, string>,
    private readonly meta: Database<Meta | true, string>,
    private readonly system: Database<JsonDoc, string>,
    /** Ids of scheduled jobs that started running since the last start of the backend. */
    private readonly startedJobs: Database<true, string>,
  ) {}

  /** Opens (creating, owner-only) the store in `dir`; `reset` deletes whatever was there first. */
  static open(dir: string, { reset = false }: { reset?: boolean } = {}): Store {
    if (reset) {
      for (const name of [DATABASE_FILE, `${DATABASE_FILE}-lock`, LEGACY_SNAPSHOT, LEGACY_FILES])
        rmSync(join(dir, name), { recursive: true, force: true });
    }
    mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
    chmodSync(dir, OWNER_ONLY_DIR);
    const path = join(dir, DATABASE_FILE);
    const root = open({ path, overlappingSync: false, noSync: false, compression: false });
    for (const file of [path, `${path}-lock`]) if (existsSync(file)) chmodSync(file, OWNER_ONLY_FILE);
    const store = new Store(
      dir,
      root,
      root.openDB<JsonDoc, string>({ name: "documents", encoding: "json" }),
      root.openDB<Buffer, string>({ name: "files", encoding: "binary" }),
      root.openDB<Meta | true, string>({ name: "meta", encoding: "json" }),
      root.openDB<JsonDoc, string>({ name: "system", encoding: "json" }),
      root.openDB<true, string>({ name: "startedJobs", encoding: "json" }),
    );
    store.migrateLegacySnapshot();
    for (const id of store.startedJobs.getKeys()) store.started.add(id);
    const saved = store.meta.get(META_KEY);
    if (saved && saved !== true) {
      store.lastMeta = saved;
      store.tableNumbers = saved.tableNumbers;
    }
    return store;
  }

  /** The saved state, or null for an empty store. */
  load(): { snapshot: Snapshot; files: Map<string, Blob> } | null {
    const meta = this.meta.get(META_KEY);
    if (!meta || meta === true) return null;
    const documents: JsonDoc[] = [];
    for (const { value } of this.documents.getRange()) documents.push(value);
    const files = new Map<string, Blob>();
    for (const { key, value } of this.files.getRange()) files.set(key, new Blob([new Uint8Array(value)]));
    return {
      snapshot: { format: 1, ...meta, documents },
      files,
    };
  }

  /** Writes one commit's changed documents; resolves once they are on disk. */
  async writeCommit(changes: CommitChanges): Promise<void> {
    // Commits are handed over faster than LMDB writes them: the map comes from memory, not disk.
    if (changes.tableNumbers) this.tableNumbers = changes.tableNumbers;
    const meta: Meta = {
      ...(this.tableNumbers ? { tableNumbers: this.tableNumbers } : {}),
      nextDocId: changes.nextDocId,
      lastCreationTime: changes.lastCreationTime,
      lastCommitTs: changes.ts.toString(),
    };
    this.lastMeta = meta;
    // Serialised now, synchronously: the documents may change again before LMDB writes.
    const puts: [string, JsonDoc | null][] = [];
    const finishedJobs: string[] = [];
    for (const [id, doc] of changes.documents) {
      puts.push([id, doc === null ? null : (convexToJson(doc as Value) as JsonDoc)]);
      if (this.started.has(id) && !jobStillRuns(doc)) {
        finishedJobs.push(id);
        this.started.delete(id);
      }
    }
    await this.root.batch(() => {
      for (const [id, doc] of puts) {
        if (doc === null) {
          void this.documents.remove(id);
          // Only `_storage` documents have a body; removing a missing key does nothing.
          void this.files.remove(id);
        } else void this.documents.put(id, doc);
      }
      // In the commit that ends the job, so the journal never names a job whose end is on disk
      // and never loses one whose end is not.
      for (const id of finishedJobs) void this.startedJobs.remove(id);
      void this.meta.put(META_KEY, meta);
    });
  }

  /** Saves the table-number map at once (ids of the backend's own records depend on it). */
  async writeTableNumbers(tableNumbers: [string, number][]): Promise<void> {
    this.tableNumbers = tableNumbers;
    const previous = this.lastMeta ?? this.meta.get(META_KEY);
    const base: Meta =
      previous && previous !== true ? previous : { nextDocId: 10000, lastCreationTime: 0, lastCommitTs: "0" };
    const meta = { ...base, tableNumbers };
    this.lastMeta = meta;
    await this.meta.put(META_KEY, meta);
  }

  /** The local backend's own records (snapshot exports and imports), in convex JSON. */
  loadSystemDocuments(): JsonDoc[] {
    return [...this.system.getRange()].map(({ value }) => value);
  }

  /** Saves one of the backend's own records; resolves once it is on disk. */
  async writeSystemDocument(doc: JsonDoc): Promise<void> {
    await this.system.put(doc._id, doc);
  }

  /** Records that a scheduled job is about to run; resolves once it is on disk. */
  async markJobStarted(jobId: string): Promise<void> {
    this.started.add(jobId);
    await this.startedJobs.put(jobId, true);
  }

  /**
   * The jobs recorded as started whose end was not written: those that were running when the
   * process stopped (a job's entry goes in the commit that writes its success, failure or cancel).
   */
  startedJobIds(): string[] {
    return [...this.startedJobs.getKeys()];
  }

  /** Forgets the started jobs, once those that did not finish are failed durably. */
  async clearStartedJobs(): Promise<void> {
    this.started.clear();
    await this.startedJobs.clearAsync();
  }

  async writeFile(storageId: string, blob: Blob): Promise<void> {
    await this.files.put(storageId, Buffer.from(await blob.arrayBuffer()));
  }

  async close(): Promise<void> {
    await this.root.flushed;
    await this.root.close();
  }

  private migrateLegacySnapshot() {
    const legacy = join(this.dir, LEGACY_SNAPSHOT);
    if (!existsSync(legacy) || this.meta.get("migrated") === true) return;
    const snapshot = JSON.parse(readFileSync(legacy, "utf8")) as Snapshot;
    const filesDir = join(this.dir, LEGACY_FILES);
    const bodies = new Map<string, Buffer>();
    if (existsSync(filesDir)) {
      for (const name of readdirSync(filesDir))
        if (!name.includes(".tmp-")) bodies.set(name, readFileSync(join(filesDir, name)));
    }
    this.root.transactionSync(() => {
      for (const doc of snapshot.documents as JsonDoc[]) {
        void this.documents.put(doc._id, doc);
        const body = bodies.get(doc._id);
        if (body) void this.files.put(doc._id, body);
      }
      void this.meta.put(META_KEY, {
        nextDocId: snapshot.nextDocId,
        lastCreationTime: snapshot.lastCreationTime,
        lastCommitTs: snapshot.lastCommitTs,
      });
      void this.meta.put("migrated", true);
    });
    renameSync(legacy, `${legacy}.migrated`);
    if (existsSync(filesDir)) renameSync(filesDir, `${filesDir}.migrated`);
    console.log(
      `[local-backend] migrated ${snapshot.documents.length} documents from ${LEGACY_SNAPSHOT} into ${DATABASE_FILE}`,
    );
  }
}
