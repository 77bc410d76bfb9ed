/**
 * Invite tokens: 256 random bits, shown once inside the invite link. Only the SHA-256 hash is
 * stored, so a leaked database copy cannot be used to sign up.
 */
const TOKEN_BYTES = 32;

/** Tokens longer than this cannot be ours; refusing them early keeps hashing cheap. */
export const MAX_INVITE_TOKEN_LENGTH = 128;

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newInviteToken(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

export async function hashInviteToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
