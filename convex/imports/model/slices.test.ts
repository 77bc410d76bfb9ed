import { describe, expect, it } from "vitest";
import { inSlices, pieceBytesFor, SLICE_MS, Slices } from "./slices";

const PIECE = pieceBytesFor("zip");

async function* oneChunk(bytes: number) {
  yield new Uint8Array(bytes);
}

/** Holds the thread for `ms`, as parsing a piece of a large file does. */
function busy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("inSlices", () => {
  it("passes a large chunk on in small pieces, every byte once", async () => {
    const sizes: number[] = [];
    for await (const piece of inSlices(oneChunk(10 * PIECE + 5), new Slices(), PIECE))
      sizes.push(piece.length);
    expect(sizes).toHaveLength(11);
    expect(Math.max(...sizes)).toBe(PIECE);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10 * PIECE + 5);
  });

  it("lets a timer run while its reader works synchronously on piece after piece", async () => {
    let timerRanAfterPieces: number | null = null;
    let pieces = 0;
    setTimeout(() => (timerRanAfterPieces = pieces), 0);
    for await (const _piece of inSlices(oneChunk(40 * PIECE), new Slices(), PIECE)) {
      busy(SLICE_MS / 4);
      pieces++;
    }
    // Without turns the timer would run only once all 40 pieces (about 200 ms of work) were read.
    expect(timerRanAfterPieces).not.toBeNull();
    expect(timerRanAfterPieces!).toBeLessThan(10);
  });

  it("runs the turn's check, whose error ends the reading", async () => {
    const slices = new Slices(() => {
      throw new Error("over budget");
    });
    const reading = (async () => {
      for await (const _piece of inSlices(oneChunk(40 * PIECE), slices, PIECE)) busy(SLICE_MS / 4);
    })();
    await expect(reading).rejects.toThrow("over budget");
  });
});
