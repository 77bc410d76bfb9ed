/**
 * Long synchronous work cut into slices, so the process that previews or sends an import keeps
 * answering other requests. Readers and writers hand rows and chunks over through promises, which
 * never let a timer or a request in: without a turn of the event loop now and then, a file that
 * inflates to millions of rows would hold the process for the whole preview or send.
 */

/** Synchronous work between two turns of the event loop. */
export const SLICE_MS = 20;

/**
 * Bytes of a file passed on at once, so its reader comes back for more (and a turn can be given) at
 * least this often. A ZIP's pieces are small because its bytes are inflated: 4 KiB of a deflate
 * bomb inflate to at most ~4 MiB. Other files are read as they are, so larger pieces cost less.
 */
export function pieceBytesFor(format: string): number {
  return format === "zip" ? 4 * 1024 : 64 * 1024;
}

export class Slices {
  private started = Date.now();
  /** `atTurn` runs at each turn (a budget check that may throw). */
  constructor(private readonly atTurn: () => void = () => {}) {}

  /** True when the caller should `await this.turn()` (cheap enough to ask once per row). */
  due(): boolean {
    return Date.now() - this.started > SLICE_MS;
  }

  async turn(): Promise<void> {
    this.atTurn();
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.started = Date.now();
  }
}

/** `chunks` in pieces of at most `pieceBytes`, with a turn of the event loop when one is due. */
export async function* inSlices(
  chunks: AsyncIterable<Uint8Array>,
  slices: Slices,
  pieceBytes: number,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; offset += pieceBytes) {
      if (slices.due()) await slices.turn();
      yield chunk.subarray(offset, offset + pieceBytes);
    }
  }
}
