/**
 * Table numbers, as a Convex deployment keeps them: every table has a number that is encoded in
 * each of its document ids, so an id says which table it belongs to. User tables count up from
 * 10001 and system tables (`_storage`, `_scheduled_functions`) from 1, as on Convex. The map is
 * persisted with the store, so a table keeps its number (and its ids stay valid) across restarts;
 * a snapshot import may move a table to the number its ZIP lists, as Convex's import does.
 */
import { randomBytes } from "node:crypto";
import { decodeConvexId, encodeConvexId } from "../../convex/lib/snapshot/convexId.ts";

export const FIRST_USER_TABLE_NUMBER = 10001;
export const FIRST_SYSTEM_TABLE_NUMBER = 1;
const LAST_SYSTEM_TABLE_NUMBER = FIRST_USER_TABLE_NUMBER - 1;

export function isSystemTable(name: string): boolean {
  return name.startsWith("_");
}

/**
 * The table of an id in convex-test's own format (decimal counter followed by the table name),
 * which stores written before real ids existed still hold.
 */
export function legacyTableName(id: string): string | null {
  let split = 0;
  while (split < id.length && id.charCodeAt(split) >= 48 && id.charCodeAt(split) <= 57) split++;
  return split === 0 || split === id.length ? null : id.slice(split);
}

// One call into the system's random source per 256 ids, not per id (a batch ingest inserts
// hundreds of documents, and the call, not the bytes, is what costs).
const RANDOM_POOL_BYTES = 16 * 256;
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

function randomIdBytes(): Uint8Array {
  if (randomOffset + 16 > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomOffset = 0;
  }
  randomOffset += 16;
  return randomPool.subarray(randomOffset - 16, randomOffset);
}

/** Ids decoded so far (decoding checks a checksum); cleared when it grows past this many. */
const DECODE_CACHE_LIMIT = 200_000;

export class TableNumbers {
  private readonly byName = new Map<string, number>();
  private readonly byNumber = new Map<number, string>();
  private readonly decoded = new Map<string, number | null>();
  /** Set when the map changed since the last `takeChanged()`. */
  private changed = false;

  constructor(entries: Iterable<readonly [string, number]> = []) {
    for (const [name, number] of entries) {
      this.byName.set(name, number);
      this.byNumber.set(number, name);
    }
  }

  numberOf(name: string): number | undefined {
    return this.byName.get(name);
  }

  nameOf(number: number): string | undefined {
    return this.byNumber.get(number);
  }

  /** The table's number, giving it the next free one if it has none yet. */
  assign(name: string): number {
    const existing = this.byName.get(name);
    if (existing !== undefined) return existing;
    const system = isSystemTable(name);
    let number = system ? FIRST_SYSTEM_TABLE_NUMBER : FIRST_USER_TABLE_NUMBER;
    while (this.byNumber.has(number)) number++;
    if (system && number > LAST_SYSTEM_TABLE_NUMBER) throw new Error("Too many system tables");
    this.set(name, number);
    return number;
  }

  /**
   * Gives `name` the number `number`. Whichever table held that number before loses it (and gets
   * a fresh one on its next write); callers check that this table is being replaced.
   */
  set(name: string, number: number) {
    const previousHolder = this.byNumber.get(number);
    if (previousHolder === name) return;
    if (previousHolder !== undefined) this.byName.delete(previousHolder);
    const previousNumber = this.byName.get(name);
    if (previousNumber !== undefined) this.byNumber.delete(previousNumber);
    this.byName.set(name, number);
    this.byNumber.set(number, name);
    this.changed = true;
  }

  /** Forgets a deleted table: it no longer exists and its number is free again. */
  remove(name: string) {
    const number = this.byName.get(name);
    if (number === undefined) return;
    this.byName.delete(name);
    this.byNumber.delete(number);
    this.changed = true;
  }

  entries(): [string, number][] {
    return [...this.byName.entries()].sort((a, b) => a[1] - b[1]);
  }

  /** True once after each change, so a commit can persist the map with its documents. */
  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  /** A new document id of `table`: its number and 16 random bytes, as Convex encodes ids. */
  newId(table: string): string {
    return encodeConvexId(this.assign(table), randomIdBytes());
  }

  /** The table number a real Convex id carries, or null if `id` is not one. */
  tableNumberOfId(id: string): number | null {
    let number = this.decoded.get(id);
    if (number === undefined) {
      number = decodeConvexId(id)?.tableNumber ?? null;
      if (this.decoded.size >= DECODE_CACHE_LIMIT) this.decoded.clear();
      this.decoded.set(id, number);
    }
    return number;
  }

  /** The table of an id: real ids through the map, older convex-test ids by their suffix. */
  tableOfId(id: string): string | null {
    const number = this.tableNumberOfId(id);
    if (number !== null) return this.byNumber.get(number) ?? null;
    return legacyTableName(id);
  }
}
