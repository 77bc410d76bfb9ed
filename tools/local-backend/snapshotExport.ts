/**
 * Snapshot exports, as a Convex deployment makes them for `npx convex export`: one at a time, each
 * an `_exports` record moving requested → in_progress {progress_message} → completed {start_ts,
 * complete_ts, expiration_ts, zip_object_key, size} (or canceled), and a ZIP in Convex's layout
 * written in the background to a file in the data folder, then downloadable.
 *
 * The documents are those committed when the export starts (its `start_ts`): the engine replaces
 * committed documents rather than changing them, so holding their references is a consistent
 * snapshot while writes go on. The ZIP is streamed to disk, never held whole in memory.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Value } from "convex/values";
import type { ExportObject } from "../../convex/lib/snapshot/exportJson.ts";
import {
  snapshotZipChunks,
  type SnapshotTable,
  type StorageFileMetadata,
} from "../../convex/lib/snapshot/snapshotZip.ts";
import { ApiError } from "./httpHelpers.ts";
import { SnapshotJobs } from "./snapshotJobs.ts";
import { EXPORTS_TABLE, type SystemDoc } from "./systemTables.ts";
import { isSystemTable } from "./tableNumbers.ts";

const NS_PER_MS = 1_000_000n;
/** Convex keeps an export 14 days unless told otherwise. */
export const DEFAULT_EXPORT_RETENTION_NS = 14n * 24n * 3600n * 1000n * NS_PER_MS;
/** Progress messages are written at most this often (Convex: every 5 s). */
const PROGRESS_INTERVAL_MS = 1000;
/** The name a local deployment goes by in its export file names. */
const DEPLOYMENT_NAME = "local";

const nowNs = () => BigInt(Date.now()) * NS_PER_MS;
const formatCount = (n: number) => n.toLocaleString("en-US");

/**
 * A stored file's UUID (Convex keeps one per file): the one an import brought, else a stable one
 * derived from the id (convex-test gives a stored file none).
 */
function internalIdOf(doc: { _id: string; internalId?: unknown }): string {
  if (typeof doc.internalId === "string") return doc.internalId;
  const storageId = doc._id;
  const hex = createHash("sha256").update(storageId).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

type ExportState = "requested" | "in_progress" | "completed" | "failed" | "canceled";

export class SnapshotExports extends SnapshotJobs {
  private readonly canceled = new Set<string>();
  private running: Promise<void> = Promise.resolve();
  private requesting = false;

  /** The newest export asked for with `npx convex export` (what `_system/cli/exports:getLatest` returns). */
  latest(): SystemDoc | null {
    return (
      this.system
        .list(EXPORTS_TABLE)
        .filter((doc) => doc.requestor === "snapshotExport")
        .at(-1) ?? null
    );
  }

  /** Waits until the export running now (if any) has finished. */
  async idle(): Promise<void> {
    await this.running;
  }

  async request(includeStorage: boolean): Promise<SystemDoc> {
    const busy = this.system
      .list(EXPORTS_TABLE)
      .some((doc) => doc.state === "requested" || doc.state === "in_progress");
    // `requesting` covers a request whose record is still being saved.
    if (busy || this.requesting) {
      throw new ApiError(
        400,
        "ExportInProgress",
        "There is already an export requested or in progress. Wait for it to finish before requesting another.",
      );
    }
    this.requesting = true;
    try {
      const doc = await this.system.insert(EXPORTS_TABLE, {
        state: "requested",
        format: { format: "zip", include_storage: includeStorage },
        component: null,
        requestor: "snapshotExport",
        expiration_ts: nowNs() + DEFAULT_EXPORT_RETENTION_NS,
      });
      this.start(doc._id);
      return doc;
    } finally {
      this.requesting = false;
    }
  }

  /** Starts again the exports a stop interrupted (Convex's worker retries them too). */
  resumeInterrupted() {
    for (const doc of this.system.list(EXPORTS_TABLE)) {
      if (doc.state === "requested" || doc.state === "in_progress") this.start(doc._id);
    }
  }

  async cancel(id: string): Promise<void> {
    const doc = this.find(id);
    if (doc.state !== "requested" && doc.state !== "in_progress") {
      throw new ApiError(
        400,
        "ExportNotCancelable",
        "Can only cancel an export that hasn't completed or failed",
      );
    }
    this.canceled.add(doc._id);
    await this.system.replace(doc._id, {
      ...this.common(doc),
      state: "canceled",
      start_ts: (doc.start_ts as bigint | undefined) ?? null,
      canceled_ts: nowNs(),
    });
  }

  async setExpiration(id: string, expirationTsNs: bigint): Promise<void> {
    const doc = this.find(id);
    if (doc.state !== "completed") {
      throw new ApiError(400, "ExportNotComplete", "Can only set the expiration of a completed export");
    }
    await this.system.replace(doc._id, { ...withoutSystemFields(doc), expiration_ts: expirationTsNs });
  }

  /** The ZIP of a completed export, by `_exports` id or by its `start_ts`. */
  download(idOrTs: string): { path: string; size: number; filename: string } {
    if (!/^[0-9a-z]+$/.test(idOrTs))
      throw new ApiError(400, "BadSnapshotId", `Invalid snapshot id ${idOrTs}`);
    const doc = /^\d+$/.test(idOrTs)
      ? this.system.list(EXPORTS_TABLE).find((d) => d.start_ts === BigInt(idOrTs) && d.state === "completed")
      : this.system.get(idOrTs);
    if (!doc || !this.system.list(EXPORTS_TABLE).includes(doc)) {
      throw new ApiError(404, "ExportNotFound", `The requested export ${idOrTs} was not found`);
    }
    if (doc.state !== "completed") {
      throw new ApiError(400, "ExportNotComplete", `The requested export ${idOrTs} has not completed`);
    }
    const path = join(this.dir, doc.zip_object_key as string);
    return {
      path,
      size: statSync(path).size,
      filename: `snapshot_${DEPLOYMENT_NAME}_${String(doc.start_ts)}.zip`,
    };
  }

  private find(id: string): SystemDoc {
    const doc = this.system.get(id);
    if (!doc || !this.system.list(EXPORTS_TABLE).includes(doc)) {
      throw new ApiError(404, "ExportNotFound", `The requested export ${id} was not found`);
    }
    return doc;
  }

  private common(doc: SystemDoc): Record<string, Value> {
    return { format: doc.format!, component: doc.component ?? null, requestor: doc.requestor! };
  }

  /** Runs exports one after another, in the background of the request that asked. */
  private start(id: string) {
    this.running = this.running.then(() =>
      this.run(id).catch(async (error: unknown) => {
        this.log(`export ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
        const doc = this.system.get(id);
        if (doc && doc.state !== "canceled") {
          await this.system.replace(id, {
            ...this.common(doc),
            state: "failed",
            start_ts: (doc.start_ts as bigint | undefined) ?? nowNs(),
            failed_ts: nowNs(),
          });
        }
      }),
    );
  }

  private async run(id: string) {
    const requested = this.system.get(id);
    if (!requested || (requested.state as ExportState) === "canceled") return;
    const includeStorage = (requested.format as { include_storage: boolean }).include_storage;
    // The snapshot is taken synchronously: no commit can fall between these reads.
    const snapshot = this.engine.committedSnapshot();
    const userTables = this.engine.userTableNames();
    const startTs = snapshot.ts > 0n ? snapshot.ts : nowNs();
    const expiration = startTs + DEFAULT_EXPORT_RETENTION_NS;

    let lastProgress = 0;
    const progress = async (message: string, force = false) => {
      if (this.canceled.has(id)) throw new ExportCanceled();
      if (!force && Date.now() - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = Date.now();
      await this.system.replace(id, {
        ...this.common(requested),
        state: "in_progress",
        start_ts: startTs,
        expiration_ts: expiration,
        progress_message: message,
      });
    };
    await progress("Beginning backup", true);

    const names = new Set(userTables);
    for (const [name, docs] of snapshot.tables) if (!isSystemTable(name) && docs.length > 0) names.add(name);
    const tables: SnapshotTable[] = [];
    for (const name of names) {
      const docs = snapshot.tables.get(name) ?? [];
      tables.push({
        name,
        tableNumber: this.engine.tableNumbers.assign(name),
        totalSize: docs.length,
        documents: (async function* () {
          await progress(`Backing up ${name}`, true);
          let written = 0;
          for (const doc of docs) {
            yield doc as unknown as ExportObject;
            written++;
            if (written % 1000 === 0)
              await progress(
                `Backing up ${name}: ${formatCount(written)} / ${formatCount(docs.length)} documents`,
              );
          }
        })(),
      });
    }
    if (this.engine.tableNumbers.takeChanged()) await this.saveTableNumbers();

    const storageDocs = includeStorage ? (snapshot.tables.get("_storage") ?? []) : [];
    const files: StorageFileMetadata[] = storageDocs
      .filter((doc) => snapshot.files.has(doc._id))
      .map((doc) => ({
        id: doc._id,
        creationTime: doc._creationTime,
        sha256: String(doc.sha256 ?? ""),
        size: Number(doc.size ?? snapshot.files.get(doc._id)!.size),
        contentType: typeof doc.contentType === "string" ? doc.contentType : null,
        internalId: internalIdOf(doc),
      }));
    let filesWritten = 0;
    const storage = includeStorage
      ? {
          files: () => files,
          open: async function* (file: StorageFileMetadata) {
            await progress(
              `Backing up _storage: ${formatCount(filesWritten)} / ${formatCount(files.length)} files (downloading)`,
            );
            filesWritten++;
            const blob = snapshot.files.get(file.id)!;
            for await (const chunk of blob.stream()) yield chunk as Uint8Array;
          },
        }
      : undefined;

    const key = `${id}.zip`;
    const target = join(this.dir, key);
    const partial = `${target}.partial`;
    try {
      await pipeline(
        Readable.from(
          // No modification time, as Convex writes none (async_zip's default DOS date 0).
          snapshotZipChunks({ tables, ...(storage ? { storage } : {}) }, {}),
        ),
        createWriteStream(partial, { mode: 0o600 }),
      );
    } catch (error) {
      rmSync(partial, { force: true });
      if (error instanceof ExportCanceled) return;
      throw error;
    }
    if (this.canceled.has(id)) {
      rmSync(partial, { force: true });
      return;
    }
    renameSync(partial, target);
    await this.system.replace(id, {
      ...this.common(requested),
      state: "completed",
      start_ts: startTs,
      complete_ts: nowNs(),
      expiration_ts: expiration,
      zip_object_key: key,
      size: BigInt(statSync(target).size),
    });
    this.log(`export ${id} completed (${formatCount(statSync(target).size)} bytes)`);
  }

  /** Streams a completed export's ZIP (opened by the caller with `download`). */
  static open(path: string) {
    return createReadStream(path);
  }
}

class ExportCanceled extends Error {}

function withoutSystemFields(doc: SystemDoc): Record<string, Value> {
  const { _id: _ignoredId, _creationTime: _ignoredTime, ...fields } = doc;
  return fields;
}
