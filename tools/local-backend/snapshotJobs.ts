/**
 * What snapshot exports and imports both work on: the engine's tables, the `_system` documents
 * that track each job, and a private folder for the job's files.
 */
import { mkdirSync } from "node:fs";
import type { Engine } from "./convexTestAdapter.ts";
import type { SystemTables } from "./systemTables.ts";

export abstract class SnapshotJobs {
  constructor(
    protected readonly engine: Engine,
    protected readonly system: SystemTables,
    protected readonly dir: string,
    protected readonly log: (message: string) => void,
    /** Saves the table-number map: an export may number tables that have none yet, an import renumber them. */
    protected readonly saveTableNumbers: () => Promise<void>,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}
