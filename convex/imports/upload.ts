/**
 * POST /imports/upload?token=…: stores one chunk of an upload in the console's storage and records
 * it on its import, in one step. The token names the import, the chunk's place and the uploader, so
 * a part is always bytes that uploader sent: a storage id never comes from the browser (it could
 * name a backup's copy, which the import's source download would then hand out).
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { httpAction } from "../_generated/server";
import { hashDownloadToken, isWellFormedDownloadToken } from "../backups/read";
import { internalMutation } from "../lib/functions";
import { MAX_IMPORT_BYTES, UPLOAD_CHUNK_BYTES } from "./shared";

export const UPLOAD_PATH = "/imports/upload";

/** How long the URL for one chunk works: long enough for 8 MiB on a slow line. */
export const UPLOAD_URL_LIFETIME_MS = 10 * 60_000;

/** The most parts one upload can have. */
export const MAX_PARTS = Math.ceil(MAX_IMPORT_BYTES / UPLOAD_CHUNK_BYTES);

type Refusal = { ok: false; status: 403 | 409 | 410 | 413; message: string };

function refusal(status: Refusal["status"], message: string): Refusal {
  return { ok: false, status, message };
}

async function claimable(
  ctx: { db: import("../_generated/server").QueryCtx["db"] },
  tokenHash: string,
): Promise<Refusal | { ok: true; token: Doc<"importUploadTokens">; row: Doc<"imports"> }> {
  const token = await ctx.db
    .query("importUploadTokens")
    .withIndex("by_token_hash", (q) => q.eq("tokenHash", tokenHash))
    .unique();
  if (token === null) return refusal(403, "This upload URL is not valid: upload the file again.");
  if (token.usedAt !== undefined) return refusal(410, "This upload URL has already been used.");
  if (token.expiresAt <= Date.now())
    return refusal(410, "This upload URL has expired: upload the file again.");
  const row = await ctx.db.get("imports", token.importId);
  if (row === null || row.status.state !== "uploading" || row.requestedById !== token.uploaderId) {
    return refusal(409, "This upload has been canceled or has finished.");
  }
  if (token.index !== row.partCount) {
    return refusal(
      409,
      `Chunk ${token.index + 1} arrived out of order; the next expected is ${row.partCount + 1}.`,
    );
  }
  return { ok: true, token, row };
}

/** Cheap refusal before the body is read and stored. */
export const checkUploadToken = internalMutation({
  args: { tokenHash: v.string() },
  handler: async (ctx, { tokenHash }) => {
    const claim = await claimable(ctx, tokenHash);
    return claim.ok ? { ok: true as const } : claim;
  },
});

/**
 * Records the stored chunk against the token's import and spends the token; a refused chunk (the
 * token was spent meanwhile, or too many bytes) is deleted, as it is the one this request stored.
 */
export const recordPart = internalMutation({
  args: { tokenHash: v.string(), storageId: v.id("_storage") },
  handler: async (ctx, { tokenHash, storageId }) => {
    const claim = await claimable(ctx, tokenHash);
    const file = await ctx.db.system.get("_storage", storageId);
    const bytesUploaded =
      claim.ok && claim.row.status.state === "uploading" ? claim.row.status.bytesUploaded : 0;
    const refused: Refusal | null = !claim.ok
      ? claim
      : file === null
        ? refusal(409, "The chunk was not stored: send it again.")
        : bytesUploaded + file.size > claim.row.sizeBytes || claim.row.partCount >= MAX_PARTS
          ? refusal(413, "More bytes arrived than the file's size: start the upload again.")
          : null;
    if (refused !== null || !claim.ok || file === null) {
      await ctx.storage.delete(storageId);
      return refused ?? refusal(409, "The chunk was not stored: send it again.");
    }
    const { token, row } = claim;
    await ctx.db.patch("importUploadTokens", token._id, { usedAt: Date.now() });
    await ctx.db.insert("importParts", {
      importId: row._id,
      index: token.index,
      storageId,
      bytes: file.size,
    });
    await ctx.db.patch("imports", row._id, {
      partCount: row.partCount + 1,
      status: { state: "uploading", bytesUploaded: bytesUploaded + file.size },
    });
    return { ok: true as const, bytesUploaded: bytesUploaded + file.size };
  },
});

/** The token is the credential (no cookies), so any origin may post; the browser app is on another. */
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "600",
};

function answer(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { ...CORS, "Cache-Control": "no-store" } });
}

export const receiveChunk = httpAction(async (ctx, request) => {
  const token = new URL(request.url).searchParams.get("token");
  if (!isWellFormedDownloadToken(token)) {
    return answer(403, { message: "This upload URL is not valid: upload the file again." });
  }
  const tokenHash = hashDownloadToken(token);
  const checked = await ctx.runMutation(internal.imports.upload.checkUploadToken, { tokenHash });
  if (!checked.ok) return answer(checked.status, { message: checked.message });
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > UPLOAD_CHUNK_BYTES) {
    return answer(413, { message: "A chunk is larger than the console accepts: upload the file again." });
  }
  const chunk = await request.blob();
  if (chunk.size === 0 || chunk.size > UPLOAD_CHUNK_BYTES) {
    return answer(413, {
      message: "A chunk is empty or larger than the console accepts: upload the file again.",
    });
  }
  const storageId = await ctx.storage.store(chunk);
  const recorded = await ctx.runMutation(internal.imports.upload.recordPart, { tokenHash, storageId });
  if (!recorded.ok) return answer(recorded.status, { message: recorded.message });
  return answer(200, { bytesUploaded: recorded.bytesUploaded });
});

export const uploadPreflight = httpAction(async () => new Response(null, { status: 204, headers: CORS }));
