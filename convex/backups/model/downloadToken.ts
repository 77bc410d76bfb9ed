/**
 * One-time download links for a backup's stored copy: the token a link carries, how it is stored
 * (only its SHA-256), how long it lives, and why a presented token is refused.
 */
import { hashToken, newToken } from "../../lib/hashedTokens";

/** How long a download link works after an operator asks for it. */
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
