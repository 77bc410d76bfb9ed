/**
 * One-time download links for a backup's stored copy or an import's source file: the token a link
 * carries, how it is stored (only its SHA-256), how long it lives, why a presented token is
 * refused, and the name the downloaded file is saved under.
 */
import { hashToken, newToken } from "../../lib/hashedTokens";

/** How long a download link works after an admin asks for it. */
export const DOWNLOAD_LINK_LIFETIME_MS = 5 * 60_000;

/** The HTTP action that turns a link's token into the stored copy. */
export const DOWNLOAD_PATH = "/backups/download";

/** A fresh random 256-bit token, as 64 lowercase hex characters. */
export function newDownloadToken(): string {
  return newToken("hex");
}

/** What is stored for a token: its SHA-256, so a read of the table cannot be turned into a link. */
export function hashDownloadToken(token: string): string {
  return hashToken(token);
}

/** Whether a presented token has the shape of one this module issues (cheap refusal of junk). */
export function isWellFormedDownloadToken(token: string | null): token is string {
  return token !== null && /^[0-9a-f]{64}$/.test(token);
}

export function downloadLinkUrl(siteUrl: string, token: string): string {
  return `${siteUrl.replace(/\/+$/, "")}${DOWNLOAD_PATH}?token=${token}`;
}

export type DownloadRefusal = { status: 403 | 410; message: string };

/** The answer to a token that was never issued (or is malformed, or was swept after expiring). */
export const UNKNOWN_LINK: DownloadRefusal = {
  status: 403,
  message: "This download link is not valid. Ask for a new one on the Backups page.",
};

/** Why a stored token (or none) cannot be used now; null when it can. */
export function downloadTokenRefusal(
  stored: { expiresAt: number; usedAt?: number } | null,
  now: number,
): DownloadRefusal | null {
  if (stored === null) return UNKNOWN_LINK;
  if (stored.usedAt !== undefined) {
    return {
      status: 410,
      message: "This download link has already been used. Ask for a new one on the Backups page.",
    };
  }
  if (stored.expiresAt <= now) {
    return {
      status: 410,
      message: "This download link has expired. Ask for a new one on the Backups page.",
    };
  }
  return null;
}

/**
 * Convex cuts an HTTP action's response at 20 MiB (`HTTP_ACTION_BODY_LIMIT` in its `udf` crate),
 * and the bytes are streamed by one, so a larger file cannot be handed out by a link.
 */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** A backup's file name: its deployment and the UTC second it was taken, e.g. `prod-2026-11-24T09-30-15Z.zip`. */
export function backupFileName(backup: {
  deployment: string;
  takenAt?: number;
  requestedAt: number;
}): string {
  const iso = new Date(backup.takenAt ?? backup.requestedAt).toISOString();
  const time = `${iso.slice(0, 10)}T${iso.slice(11, 13)}-${iso.slice(14, 16)}-${iso.slice(17, 19)}Z`;
  return `${safeFileName(backup.deployment)}-${time}.zip`;
}

/**
 * A name that is only a file name: no folders, no control characters, no quotes or backslashes
 * (they would end the header's quoted string), at most 200 characters.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f"]/g, "_")
    .trim()
    .slice(0, 200);
  return cleaned === "" || /^\.+$/.test(cleaned) ? "download" : cleaned;
}

/**
 * `Content-Disposition` for a download saved as `fileName`: an ASCII fallback in quotes and the
 * exact name in RFC 5987 form, so any name is safe in the header and kept as typed by browsers.
 */
export function attachmentDisposition(fileName: string): string {
  const safe = safeFileName(fileName);
  const ascii = safe.replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
