/**
 * GET /backups/download?token=…: spends a one-time download link and serves the file it names (a
 * backup's stored copy, or an import's source file, its parts joined) in its own response. The bytes
 * are only ever served here, while the token is valid: the browser never learns a storage id or a
 * storage URL, which would keep serving the file without any check.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, httpAction, type ActionCtx, type MutationCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { internalMutation } from "../lib/functions";
import {
  attachmentDisposition,
  backupFileName,
  DOWNLOAD_LINK_LIFETIME_MS,
  downloadLinkUrl,
  downloadTokenRefusal,
  hashDownloadToken,
  isWellFormedDownloadToken,
  MAX_DOWNLOAD_BYTES,
  newDownloadToken,
  UNKNOWN_LINK,
} from "./model/downloadToken";
import { backupName } from "./shared";

type LinkTarget = { backupId: Id<"backups"> } | { importId: Id<"imports"> };

/**
 * Makes a one-time link for an admin (callers check the role and audit the request). Refused for a
 * file larger than one HTTP action response may carry.
 */
export async function issueDownloadLink(
  ctx: MutationCtx,
  target: LinkTarget,
  sizeBytes: number | undefined,
  requestedBy: string,
): Promise<{ url: string; expiresAt: number }> {
  if (sizeBytes !== undefined && sizeBytes > MAX_DOWNLOAD_BYTES) {
    throw appError(
      "VALIDATION_ERROR",
      `This file is ${(sizeBytes / 1024 / 1024).toFixed(1)} MiB, and Convex serves at most 20 MiB from one HTTP response, so the console cannot hand it out as a link. Export the deployment with \`npx convex export\` instead.`,
    );
  }
  const siteUrl = env.CONVEX_SITE_URL;
  if (!siteUrl) {
    // Convex always sets it; only a misconfigured self-hosted backend lacks it.
    throw new Error("CONVEX_SITE_URL is not set, so no download link can be made.");
  }
  const token = newDownloadToken();
  const expiresAt = Date.now() + DOWNLOAD_LINK_LIFETIME_MS;
  await ctx.db.insert("backupDownloadTokens", {
    tokenHash: hashDownloadToken(token),
    ...target,
    requestedBy,
    expiresAt,
  });
  return { url: downloadLinkUrl(siteUrl, token), expiresAt };
}

type Served = { storageIds: Id<"_storage">[]; fileName: string; contentType: string };

async function servedFile(ctx: MutationCtx, stored: Doc<"backupDownloadTokens">): Promise<Served | null> {
  if (stored.backupId !== undefined) {
    const backup = await ctx.db.get("backups", stored.backupId);
    if (backup?.storageId === undefined) return null;
    if ((await ctx.db.system.get("_storage", backup.storageId)) === null) return null;
    await recordAudit(ctx, {
      actor: null,
      action: "backup.downloaded",
      target: backupName(backup),
      details: { linkRequestedBy: stored.requestedBy },
    });
    return {
      storageIds: [backup.storageId],
      fileName: backupFileName(backup),
      contentType: "application/zip",
    };
  }
  if (stored.importId === undefined) return null;
  const source = await ctx.runQuery(internal.imports.imports.sourceFile, { importId: stored.importId });
  if (source === null || source.storageIds.length === 0) return null;
  await recordAudit(ctx, {
    actor: null,
    action: "import.source_downloaded",
    target: source.fileName,
    details: { linkRequestedBy: stored.requestedBy },
  });
  return {
    storageIds: source.storageIds,
    fileName: source.fileName,
    contentType: "application/octet-stream",
  };
}

/** Marks the token used and answers what to stream, or why the link is refused. */
export const redeemDownloadToken = internalMutation({
  args: { tokenHash: v.string() },
  handler: async (ctx, args) => {
    const now = Date.now();
    const stored = await ctx.db
      .query("backupDownloadTokens")
      .withIndex("by_token_hash", (q) => q.eq("tokenHash", args.tokenHash))
      .unique();
    const refusal = downloadTokenRefusal(stored, now);
    if (stored === null || refusal !== null) return { ok: false as const, ...(refusal ?? UNKNOWN_LINK) };
    await ctx.db.patch("backupDownloadTokens", stored._id, { usedAt: now });
    const served = await servedFile(ctx, stored);
    if (served === null) {
      return {
        ok: false as const,
        status: 410 as const,
        message: "This file has been deleted since the link was made.",
      };
    }
    return { ok: true as const, ...served };
  },
});

const PRIVATE = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
};

/**
 * The stored parts, read while the action runs (a response body read later would outlive the
 * action's access to storage); at most 20 MiB in all, as links are only made for files that fit.
 */
async function storedParts(ctx: ActionCtx, storageIds: Id<"_storage">[]): Promise<Blob | null> {
  const parts: Blob[] = [];
  for (const storageId of storageIds) {
    const blob = await ctx.storage.get(storageId);
    if (blob === null) return null;
    parts.push(blob);
  }
  return new Blob(parts);
}

/** The token in the query string is neither logged here nor passed on (no-referrer). */
export const serveDownload = httpAction(async (ctx, request) => {
  const token = new URL(request.url).searchParams.get("token");
  const result = isWellFormedDownloadToken(token)
    ? await ctx.runMutation(internal.backups.download.redeemDownloadToken, {
        tokenHash: hashDownloadToken(token),
      })
    : UNKNOWN_LINK;
  const file = "storageIds" in result ? await storedParts(ctx, result.storageIds) : null;
  if ("storageIds" in result && file !== null) {
    return new Response(file, {
      status: 200,
      headers: {
        ...PRIVATE,
        "Content-Type": result.contentType,
        "Content-Disposition": attachmentDisposition(result.fileName),
        "Content-Length": String(file.size),
      },
    });
  }
  const refusal =
    "message" in result
      ? result
      : { status: 410, message: "This file has been deleted since the link was made." };
  return new Response(refusal.message, {
    status: refusal.status,
    headers: { ...PRIVATE, "Content-Type": "text/plain; charset=utf-8" },
  });
});
