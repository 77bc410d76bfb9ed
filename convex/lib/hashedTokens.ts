/**
 * Secrets handed out once and stored only as a hash (invite links, backup download links): 256
 * random bits, and their SHA-256 in lowercase hex, so a read of the database cannot be turned into
 * a working link. SHA-256 and the encodings come from @oslojs, which runs in Convex's runtime.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

const TOKEN_BYTES = 32;

/** How a token is written into its link: base64url is shorter; hex is easy to check by shape. */
export type TokenEncoding = "base64url" | "hex";

export function newToken(encoding: TokenEncoding): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  return encoding === "hex" ? encodeHexLowerCase(bytes) : encodeBase64urlNoPadding(bytes);
}

/** What is stored for a token. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
