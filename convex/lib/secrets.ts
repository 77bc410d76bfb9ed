import { env } from "../_generated/server";
import { appError } from "./errors";
import { isSealed, open, seal, SecretBoxError } from "./secretBox";

/** How every secret (webhook secret, deploy key) is shown and audited: never more than its last four characters. */
export function maskSecret(secret: string): string {
  return `••••${secret.slice(-4)}`;
}

/** The environment variable holding the AES key (base64, 32 bytes); set with `npx convex env set`. */
export const SECRETS_KEY_VARIABLE = "CONSOLE_SECRETS_KEY";

const MISSING_KEY = `${SECRETS_KEY_VARIABLE} is not set on this console's deployment, so secrets can be neither stored nor read: set it (base64 of 32 random bytes) with \`npx convex env set ${SECRETS_KEY_VARIABLE} …\`.`;

function secretsKey(): string {
  const key = env[SECRETS_KEY_VARIABLE]?.trim();
  if (!key) throw appError("SECRET_UNREADABLE", MISSING_KEY);
  return key;
}

/**
 * Encrypts a secret for storing in a table, bound to `purpose` (what it is and where it may go,
 * e.g. `deployment-key:<url>`, `alert-channel:<name>`): the same purpose must be named to read it.
 * Without the key this refuses: a secret is never stored in plain text instead.
 */
export async function sealSecret(plaintext: string, purpose: string): Promise<string> {
  try {
    return await seal(plaintext, purpose, secretsKey());
  } catch (error) {
    if (error instanceof SecretBoxError) throw appError("SECRET_UNREADABLE", error.message);
    throw error;
  }
}

/**
 * Decrypts a stored secret for `purpose`. Every way it can fail is a sentence naming `what` and
 * the remedy: a plaintext value from before encryption is refused, not used (re-entering it stores
 * it encrypted).
 */
export async function openSecret(stored: string, purpose: string, what: string): Promise<string> {
  const key = secretsKey();
  if (!isSealed(stored)) {
    throw appError(
      "SECRET_UNREADABLE",
      `The stored ${what} was saved before secrets were encrypted and is no longer used: an admin must enter it again in Settings.`,
    );
  }
  try {
    return await open(stored, purpose, key);
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw appError(
      "SECRET_UNREADABLE",
      `The stored ${what} cannot be decrypted for this use (${SECRETS_KEY_VARIABLE} changed, or the value was not stored for it): an admin must enter it again in Settings.`,
    );
  }
}
