import { decodeExportJson, encodeExportJson, type ExportObject } from "../lib/snapshot/exportJson";
import { Sha256 } from "../lib/snapshot/sha256";
import { classifySnapshotPath } from "../lib/snapshot/snapshotPaths";
import { ZipReader } from "../lib/snapshot/zipReader";
import { zipStream, type ZipEntrySource } from "../lib/snapshot/zipWriter";

/**
 * @convex-dev/auth's tables whose rows are credentials in themselves: a refresh token is
 * `<authRefreshTokens id>|<session id>`, both in the export, and signing in with an unused one
 * gives that user's session. A backup of the console's own deployment keeps these tables empty.
 */
const CREDENTIAL_TABLES = new Set([
  "authSessions",
  "authRefreshTokens",
  "authVerificationCodes",
  "authVerifiers",
  "authRateLimits",
]);

/** Lines of text from byte chunks, without holding more than one line. */
async function* lines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    const parts = pending.split("\n");
    pending = parts.pop()!;
    yield* parts;
  }
  pending += decoder.decode();
  if (pending !== "") yield pending;
}

/** authAccounts rows without `secret` (the scrypt password hash), in Convex's export encoding. */
async function* withoutPasswordHashes(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const line of lines(chunks)) {
    if (line.trim() === "") continue;
    const { secret: _hash, ...row } = decodeExportJson(line) as ExportObject;
    yield `${encodeExportJson(row)}\n`;
  }
}

/**
 * Re-packs a snapshot ZIP of the console's own deployment so that it holds no usable credential:
 * the auth session tables keep their schema but no rows, and password accounts lose their hash.
 * Streams entry by entry (one entry's chunk in flight); every other entry is copied as it is.
 * Deploy and webhook secrets need nothing here: they are stored encrypted with a key that lives in
 * the deployment's environment, not in any table.
 */
export function withoutConsoleCredentials(zip: ReadableStream<Uint8Array>, modifiedAt: Date) {
  const reader = new ZipReader(zip);
  async function* entries(): AsyncGenerator<ZipEntrySource> {
    for await (const entry of reader.entries()) {
      if (entry.isDirectory) continue;
      const path = classifySnapshotPath(entry.name);
      if (path.kind === "documents" && path.component === "" && CREDENTIAL_TABLES.has(path.table)) {
        // Left unread: the reader still checks the entry's CRC and sizes as it skips it.
        yield { name: entry.name, data: [] };
      } else if (path.kind === "documents" && path.component === "" && path.table === "authAccounts") {
        yield { name: entry.name, data: withoutPasswordHashes(entry.chunks()) };
      } else {
        yield { name: entry.name, data: entry.chunks() };
      }
    }
  }
  return zipStream(entries(), { modifiedAt });
}

/**
 * Streams bytes through unchanged while hashing and counting them, so the ZIP is hashed on its way
 * into storage without ever being held whole. `onBytes` is awaited, which holds the stream back
 * while a progress update is written.
 */
export function hashingCounter(onBytes: (bytesSoFar: number) => Promise<void> | void) {
  const hash = new Sha256();
  let bytes = 0;
  let digest: string | null = null;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      hash.update(chunk);
      bytes += chunk.length;
      controller.enqueue(chunk);
      await onBytes(bytes);
    },
    flush() {
      digest = [...hash.digest()].map((b) => b.toString(16).padStart(2, "0")).join("");
    },
  });
  return {
    stream,
    bytes: () => bytes,
    /** The lowercase hex SHA-256, once the stream has ended. */
    digest: () => {
      if (digest === null) throw new Error("The stream has not ended yet.");
      return digest;
    },
  };
}

/** Counts the bytes passing through (the download's own size, when what is stored differs). */
export function byteCounter() {
  let bytes = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, bytes: () => bytes };
}

/** Calls `update` at most once per `intervalMs` (progress documents need not change per chunk). */
export function throttled(intervalMs: number, now: () => number, update: (bytes: number) => Promise<void>) {
  let last = -Infinity;
  return async (bytes: number) => {
    const at = now();
    if (at - last < intervalMs) return;
    last = at;
    await update(bytes);
  };
}
