/** Helpers shared by this folder's tests. */
import { expect, onTestFailed } from "vitest";
import { seededRandom as seededRandomFrom } from "../seededRandom";

/**
 * The seed of this run's random chunk sizes: TEST_SEED to replay a failure, else a fresh one. A
 * failing test that used it prints it, so the same cuts can be made again.
 */
const SEED = Number(globalThis.process?.env?.TEST_SEED ?? Math.floor(Math.random() * 2 ** 32));
const reported = new Set<string>();

/** A seeded random number generator in [0, 1) (mulberry32): the same seed gives the same sequence. */
export function seededRandom(): () => number {
  const test = expect.getState().currentTestName;
  if (test !== undefined && !reported.has(test)) {
    reported.add(test);
    onTestFailed(() => {
      console.error(`Random chunk sizes used seed ${SEED}; replay with TEST_SEED=${SEED}.`);
    });
  }
  return seededRandomFrom(SEED);
}

export function concatBytes(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return concatBytes(chunks);
}

/** toEqual on large typed arrays is very slow; compare bytes directly. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return bytes;
}

/** Replays `bytes` as a stream cut at seeded random points (1..maxChunk bytes). */
export async function* inChunks(bytes: Uint8Array, maxChunk: number): AsyncGenerator<Uint8Array> {
  const random = seededRandom();
  for (let offset = 0; offset < bytes.length;) {
    const size = 1 + Math.floor(random() * maxChunk);
    yield bytes.slice(offset, offset + size);
    offset += size;
  }
}

/** Damages one byte in place, as a bad disk or a bad copy would. */
export function flipByte(bytes: Uint8Array, index: number, mask = 0xff) {
  bytes[index] = bytes[index]! ^ mask;
}
