/**
 * What other domains may read of imports: whether one is writing into a deployment now, and the
 * stored parts of an uploaded file for its one-time download link.
 */
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { formatUtcClock } from "../users/read";
import { IMPORT_STATE_LABELS, MAX_IMPORT_BYTES, UPLOAD_CHUNK_BYTES } from "./shared";

/** Imports looked at: far more than can be in flight at once, since only one runs at a time. */
const RECENT_IMPORTS = 20;

/** From the pre-import backup until Convex ends it, an import holds its deployment. */
export const IMPORT_IN_FLIGHT_STATES = ["backing_up", "sending", "waiting_for_confirmation", "importing"];

/**
 * The import in flight into `deployment` (sent, or waiting for its confirmation), as the sentence a
 * refused restore shows; null when there is none.
 */
export async function importInFlightSentence(ctx: QueryCtx, deployment: string): Promise<string | null> {
  const recent = await ctx.db.query("imports").withIndex("by_requested").order("desc").take(RECENT_IMPORTS);
  const running = recent.find(
    (row) => row.deployment === deployment && IMPORT_IN_FLIGHT_STATES.includes(row.status.state),
  );
  if (running === undefined) return null;
  const target = running.targetTable ?? "the tables of a ZIP";
  const state = IMPORT_STATE_LABELS[running.status.state].toLowerCase();
  return `An import of ${running.fileName} into ${target} started by ${running.requestedBy} at ${formatUtcClock(running.requestedAt)} is ${state} on ${deployment}; wait for it or cancel it.`;
}

/** The uploaded file as stored: its name, size and parts in order; null once gone or unfinished. */
export async function importSourceFile(
  ctx: QueryCtx,
  importId: Id<"imports">,
): Promise<{ fileName: string; sizeBytes: number; storageIds: Id<"_storage">[] } | null> {
  const row = await ctx.db.get("imports", importId);
  if (row === null || row.status.state === "uploading") return null;
  const parts = await ctx.db
    .query("importParts")
    .withIndex("by_import_index", (q) => q.eq("importId", importId))
    .take(Math.ceil(MAX_IMPORT_BYTES / UPLOAD_CHUNK_BYTES));
  return {
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    storageIds: parts.map((part) => part.storageId),
  };
}
