/**
 * Saves the engine's committed state to a data folder and loads it at start.
 *
 * Layout: `<dir>/db.json` (documents, id counters, last commit ts; pending scheduled jobs are
 * documents of `_scheduled_functions`) and `<dir>/files/<storageId>` (file bodies).
 * Every file is written to a temporary name, fsynced, then renamed, and a file body is written
 * before the snapshot that references it, so killing the process at any moment leaves either the
 * previous or the next consistent state.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Engine, Snapshot } from "./convexTestAdapter.ts";

const SNAPSHOT = "db.json";

function writeAtomic(path: string, data: Uint8Array | string) {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    const buf = typeof data === "string" ? Buffer.from(data) : data;
    let offset = 0;
    while (offset < buf.length) offset += writeSync(fd, buf, offset, buf.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function fsyncDir(dir: string) {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported on every platform; the rename is still atomic.
  }
}

export class Store {
  private readonly filesDir: string;
  private timer: NodeJS.Timeout | null = null;
  private firstDirtyAt = 0;
  private readonly savedFiles = new Set<string>();
  private saving = false;
  saves = 0;

  constructor(
    readonly dir: string,
    private readonly engine: () => Engine,
    private readonly debounceMs = 50,
    private readonly maxWaitMs = 250,
  ) {
    this.filesDir = join(dir, "files");
  }

  reset() {
    rmSync(join(this.dir, SNAPSHOT), { force: true });
    rmSync(this.filesDir, { recursive: true, force: true });
  }

  /** Reads the saved state; null when there is none. Leftover temp files are removed. */
  load(): { snapshot: Snapshot; files: Map<string, Blob> } | null {
    mkdirSync(this.filesDir, { recursive: true });
    for (const dir of [this.dir, this.filesDir]) {
      for (const name of readdirSync(dir))
        if (name.includes(".tmp-")) rmSync(join(dir, name), { force: true });
    }
    const path = join(this.dir, SNAPSHOT);
    if (!existsSync(path)) return null;
    const snapshot = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
    const files = new Map<string, Blob>();
    for (const doc of snapshot.documents as { _id: string }[]) {
      if (!doc._id.endsWith("_storage")) continue;
      const filePath = join(this.filesDir, doc._id);
      if (existsSync(filePath)) {
        files.set(doc._id, new Blob([readFileSync(filePath)]));
        this.savedFiles.add(doc._id);
      } else {
        console.warn(`[local-backend] file body missing for ${doc._id}`);
      }
    }
    return { snapshot, files };
  }

  /** Debounced save (at most `maxWaitMs` after the first unsaved write). */
  scheduleSave() {
    const now = Date.now();
    if (this.timer === null) this.firstDirtyAt = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstDirtyAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, wait);
  }

  get hasPendingSave(): boolean {
    return this.timer !== null;
  }

  async save() {
    if (this.saving) {
      this.scheduleSave();
      return;
    }
    this.saving = true;
    try {
      const engine = this.engine();
      mkdirSync(this.filesDir, { recursive: true });
      // Snapshot first (synchronously, so it is one consistent commit boundary), then make sure
      // every file it references is on disk before the snapshot itself is renamed into place.
      const snapshot = engine.exportSnapshot();
      const fileIds = engine.storedFileIds();
      const blobs = fileIds
        .filter((id) => !this.savedFiles.has(id))
        .map((id) => [id, engine.fileBlob(id)] as const);
      for (const [id, blob] of blobs) {
        if (!blob) continue;
        writeAtomic(join(this.filesDir, id), new Uint8Array(await blob.arrayBuffer()));
        this.savedFiles.add(id);
      }
      if (blobs.length > 0) fsyncDir(this.filesDir);
      writeAtomic(join(this.dir, SNAPSHOT), JSON.stringify(snapshot));
      fsyncDir(this.dir);
      this.saves += 1;
      // Garbage-collect bodies of deleted files, now that no saved snapshot references them.
      const live = new Set(
        (snapshot.documents as { _id: string }[]).filter((d) => d._id.endsWith("_storage")).map((d) => d._id),
      );
      for (const name of readdirSync(this.filesDir)) {
        if (!live.has(name) && !name.includes(".tmp-")) {
          try {
            unlinkSync(join(this.filesDir, name));
          } catch {
            // already gone
          }
          this.savedFiles.delete(name);
        }
      }
    } finally {
      this.saving = false;
    }
  }

  /** Saves now if a save is pending (used at shutdown). */
  async flush() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.saving) await new Promise((r) => setTimeout(r, 5));
    await this.save();
  }
}
