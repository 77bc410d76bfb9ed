/**
 * AES-256-GCM for the secrets the console stores (deploy key, webhook secrets, channel secrets).
 * The key comes from the deployment's environment, never from a table, so a backup of the tables
 * holds ciphertext only. Each ciphertext is bound to its purpose through GCM's additional data
 * (e.g. "deployment-key:https://x.convex.cloud"): copied into another row, or left behind after
 * the URL changed, it does not decrypt.
 *
 * Sealed form: `v1.<base64 IV>.<base64 ciphertext+tag>` (a string, so it fits the existing
 * `v.string()` fields; a stored value without the prefix is a plaintext row from before).
 */

const PREFIX = "v1.";
const IV_BYTES = 12;
const KEY_BYTES = 32;

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

/** The AES key from its base64 form; a wrong length is refused rather than silently used. */
function aesKey(keyBase64: string): Promise<CryptoKey> {
  let imported = importedKeys.get(keyBase64);
  if (imported === undefined) {
    let raw: Uint8Array;
    try {
      raw = decodeBase64(keyBase64.trim());
    } catch {
      throw new SecretBoxError("CONSOLE_SECRETS_KEY is not base64.");
    }
    if (raw.length !== KEY_BYTES) {
      throw new SecretBoxError(
        `CONSOLE_SECRETS_KEY must be ${KEY_BYTES} bytes in base64; it is ${raw.length}.`,
      );
    }
    imported = crypto.subtle.importKey("raw", new Uint8Array(raw), { name: "AES-GCM" }, false, [
      "encrypt",
      "decrypt",
    ]);
    importedKeys.set(keyBase64, imported);
  }
  return imported;
}

/** True when the stored value was sealed by this module (otherwise it is a plaintext row from before). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Throws on anything but standard base64 (atob alone also takes whitespace and missing padding). */
function decodeBase64(text: string): Uint8Array {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new SecretBoxError("not base64");
  }
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

export async function seal(plaintext: string, purpose: string, keyBase64: string): Promise<string> {
  const key = await aesKey(keyBase64);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(purpose) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `${PREFIX}${encodeBase64(iv)}.${encodeBase64(new Uint8Array(ciphertext))}`;
}

/** The plaintext, or a SecretBoxError when the value was changed, sealed for another purpose or with another key. */
export async function open(sealed: string, purpose: string, keyBase64: string): Promise<string> {
  if (!isSealed(sealed)) throw new SecretBoxError("The stored value is not encrypted.");
  const key = await aesKey(keyBase64);
  const [ivPart, dataPart, ...rest] = sealed.slice(PREFIX.length).split(".");
  let iv: Uint8Array;
  let data: Uint8Array;
  try {
    if (ivPart === undefined || dataPart === undefined || rest.length > 0) throw new Error();
    iv = decodeBase64(ivPart);
    data = decodeBase64(dataPart);
  } catch {
    throw new SecretBoxError("The stored value is not a well-formed ciphertext.");
  }
  if (iv.length !== IV_BYTES) throw new SecretBoxError("The stored value is not a well-formed ciphertext.");
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: new Uint8Array(iv), additionalData: new TextEncoder().encode(purpose) },
      key,
      new Uint8Array(data),
    );
    return new TextDecoder().decode(plaintext);
  } catch {
    throw new SecretBoxError(
      "The stored value does not decrypt: it was changed, sealed for another purpose, or with another key.",
    );
  }
}

/** A fresh key in the form CONSOLE_SECRETS_KEY takes. */
export function generateSecretsKey(): string {
  return encodeBase64(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}
