/**
 * The invite link, shared by the Users page (which builds it) and the sign-up screen (which reads
 * it). The token rides in the URL fragment: browsers never send a fragment to a server or in a
 * Referer header, and @convex-dev/auth only reads the `code` search parameter, so the token
 * cannot be mistaken for a sign-in code.
 */
export const INVITE_FRAGMENT_KEY = "invite";

/** Days an invite link stays usable after it is created. */
export const INVITE_LIFETIME_DAYS = 7;

export function inviteLinkFor(appOrigin: string, token: string): string {
  return `${appOrigin.replace(/\/+$/, "")}/#${INVITE_FRAGMENT_KEY}=${encodeURIComponent(token)}`;
}

/** The token in a location hash such as `#invite=abc`, or null when the hash holds none. */
export function inviteTokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get(INVITE_FRAGMENT_KEY);
  return token === null || token.trim() === "" ? null : token.trim();
}

/** The password rules the sign-up form checks before the server does. */
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from "./model/password";
