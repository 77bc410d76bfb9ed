import { Sha256 } from "./model/sha256";

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
