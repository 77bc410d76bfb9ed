/**
 * Invite tokens: 256 random bits in base64url, shown once inside the invite link. Only the SHA-256
 * hash is stored, so a leaked database copy cannot be used to sign up.
 */
import { hashToken, newToken } from "../../lib/hashedTokens";

/** Tokens longer than this cannot be ours; refusing them early keeps hashing cheap. */
export const MAX_INVITE_TOKEN_LENGTH = 128;

export function newInviteToken(): string {
  return newToken("base64url");
}

export function hashInviteToken(token: string): string {
  return hashToken(token);
}
