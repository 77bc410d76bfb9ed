/**
 * Repeatable pseudo-random numbers for demo traffic, loadgen and simulations in tests.
 * mulberry32: every output goes through a mixing hash, so seeds a second apart (loadgen's live
 * windows) draw independently; a bare multiplicative generator's first draws move in step with
 * the seed.
 */
export function seededRandom(seed: number): () => number {
  let state = Math.floor(Math.abs(seed)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
