/**
 * The backend's own records that Convex keeps in system tables: `_exports` (snapshot exports) and
 * `_snapshot_imports`. They live beside the engine's documents, not in it (the project's schema
 * knows nothing of them), are saved to the store before a change is acknowledged, and are read by
 * the built-in system queries the Convex CLI and dashboard call (`_system/cli/exports:getLatest`,
 * `_system/cli/queryImport`, …). Subscribers hear of each change by table name, so those queries
 * are reactive over the sync protocol like any other.
 */
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import type { TableNumbers } from "./tableNumbers.ts";

export const EXPORTS_TABLE = "_exports";
export const IMPORTS_TABLE = "_snapshot_imports";
export type SystemTableName = typeof EXPORTS_TABLE | typeof IMPORTS_TABLE;

export type SystemDoc = { _id: string; _creationTime: number } & Record<string, Value>;

export interface SystemStore {
  writeSystemDocument(doc: { _id: string } & Record<string, unknown>): Promise<void>;
}

export class SystemTables {
  private readonly docs = new Map<string, SystemDoc>();
  private readonly tableOf = new Map<string, SystemTableName>();
  private readonly listeners = new Set<(table: SystemTableName) => void>();
  private lastCreationTime = 0;

  constructor(
    private readonly numbers: TableNumbers,
    private readonly store: SystemStore | null,
    saved: unknown[] = [],
  ) {
    for (const json of saved) {
      const doc = jsonToConvex(json as never) as SystemDoc;
      const table = numbers.tableOfId(doc._id);
      if (table !== EXPORTS_TABLE && table !== IMPORTS_TABLE) continue;
      this.docs.set(doc._id, doc);
      this.tableOf.set(doc._id, table);
      this.lastCreationTime = Math.max(this.lastCreationTime, doc._creationTime);
    }
  }

  onChange(listener: (table: SystemTableName) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): SystemDoc | null {
    return this.docs.get(id) ?? null;
  }

  /** Documents of `table`, oldest first. */
  list(table: SystemTableName): SystemDoc[] {
    return [...this.docs.values()]
      .filter((doc) => this.tableOf.get(doc._id) === table)
      .sort((a, b) => a._creationTime - b._creationTime);
  }

  async insert(table: SystemTableName, fields: Record<string, Value>): Promise<SystemDoc> {
    const now = Date.now();
    this.lastCreationTime = now <= this.lastCreationTime ? this.lastCreationTime + 0.001 : now;
    const doc: SystemDoc = {
      ...fields,
      _id: this.numbers.newId(table),
      _creationTime: this.lastCreationTime,
    };
    await this.save(table, doc);
    return doc;
  }

  /** Replaces the fields of a document (system fields are kept). */
  async replace(id: string, fields: Record<string, Value>): Promise<SystemDoc> {
    const existing = this.docs.get(id);
    const table = this.tableOf.get(id);
    if (!existing || !table) throw new Error(`No system document ${id}`);
    const doc: SystemDoc = { ...fields, _id: existing._id, _creationTime: existing._creationTime };
    await this.save(table, doc);
    return doc;
  }

  private async save(table: SystemTableName, doc: SystemDoc) {
    await this.store?.writeSystemDocument(convexToJson(doc) as { _id: string });
    this.docs.set(doc._id, doc);
    this.tableOf.set(doc._id, table);
    for (const listener of this.listeners) listener(table);
  }
}
