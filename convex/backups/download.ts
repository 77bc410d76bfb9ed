/** GET /backups/download?token=…: spends a one-time download link and redirects to the stored copy. */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import { httpAction } from "../_generated/server";
import { internalMutation } from "../lib/functions";
import {
  downloadTokenRefusal,
  hashDownloadToken,
  isWellFormedDownloadToken,
  UNKNOWN_LINK,
} from "./model/downloadToken";

/** Expired links one sweep deletes; the hourly sweep keeps up with any realistic rate of downloads. */
export const DOWNLOAD_TOKEN_SWEEP_CHUNK = 500;

/** Marks the token used and answers the stored copy's URL, or why the link is refused. */
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
    const backup = await ctx.db.get("backups", stored.backupId);
    const url = backup?.storageId ? await ctx.storage.getUrl(backup.storageId) : null;
    if (url === null) {
      return {
        ok: false as const,
        status: 410 as const,
        message: "This backup has been deleted since the link was made.",
      };
    }
    return { ok: true as const, url };
  },
});

const PRIVATE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

/**
 * Redirects rather than streams: Convex caps an HTTP action's response at about 20 MiB, far below a
 * backup's size, so the file itself comes from file storage. The token in the query string is
 * neither logged here nor passed on (no-referrer).
 */
export const serveDownload = httpAction(async (ctx, request) => {
  const token = new URL(request.url).searchParams.get("token");
  const result = isWellFormedDownloadToken(token)
    ? await ctx.runMutation(internal.backups.download.redeemDownloadToken, {
        tokenHash: hashDownloadToken(token),
      })
    : UNKNOWN_LINK;
  if ("url" in result) {
    return new Response(null, { status: 302, headers: { ...PRIVATE, Location: result.url } });
  }
  return new Response(result.message, {
    status: result.status,
    headers: { ...PRIVATE, "Content-Type": "text/plain; charset=utf-8" },
  });
});
