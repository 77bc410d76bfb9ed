/**
 * Splits a byte stream into physical lines without holding more than one line: the bytes of a line
 * are decoded on their own with a strict UTF-8 decoder, so one broken line is reported by its number
 * and the rest still parse (a newline byte never occurs inside a multi-byte UTF-8 sequence).
 */

export type Line =
  { number: number; text: string; invalidUtf8: false } | { number: number; text: string; invalidUtf8: true };

/** Convex's limit on one document: `MAX_USER_SIZE` in `crates/common/src/document.rs` (1 MiB). */
export const MAX_DOCUMENT_SIZE = 1 << 20;

/**
 * The longest line that can hold one document Convex accepts, and so the longest line any reader
 * here holds. A document's size is counted on its values (`ConvexValue::size`), and JSON can spell
 * a value of size 1 in up to 6 bytes (a control character in a string as `\u0001`, a boolean in an
 * array as `false,`); no value takes more than 6 bytes per byte of size. So 6 MiB: a longer line
 * is a document Convex would refuse, and holding it is what a deflate bomb relies on.
 */
export const MAX_LINE_BYTES = 6 * MAX_DOCUMENT_SIZE;

export class LineTooLongError extends Error {
  override name = "LineTooLongError";
  constructor(readonly lineNumber: number) {
    super(
      `Line ${lineNumber} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, more than any document Convex accepts (1 MiB) can take; it is refused.`,
    );
  }
}

const BOM = [0xef, 0xbb, 0xbf];
const NOTHING = new Uint8Array(0);

/**
 * Drops a UTF-8 byte-order mark at the very start of a stream however its pieces are cut: the
 * first bytes are held until three have come, they cannot be a mark, or the stream ends.
 */
export class LeadingBom {
  private head: Uint8Array | null = NOTHING;

  constructor(private readonly onBom: () => void) {}

  /** The bytes of `piece` to read on; nothing while the stream's first bytes are undecided. */
  strip(piece: Uint8Array): Uint8Array {
    if (this.head === null) return piece;
    const joined = this.head.length === 0 ? piece : join([this.head, piece], this.head.length + piece.length);
    if (joined.length < BOM.length && joined.every((byte, index) => byte === BOM[index])) {
      this.head = joined.slice();
      return NOTHING;
    }
    this.head = null;
    if (!BOM.every((byte, index) => joined[index] === byte)) return joined;
    this.onBom();
    return joined.subarray(BOM.length);
  }

  /** At the end of the stream: the one or two bytes of a mark's start still held, if any. */
  rest(): Uint8Array {
    const held = this.head ?? NOTHING;
    this.head = null;
    return held;
  }
}
const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

function decode(bytes: Uint8Array, number: number): Line {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  const body = bytes.subarray(0, end);
  try {
    return { number, text: strict.decode(body), invalidUtf8: false };
  } catch {
    return { number, text: lenient.decode(body), invalidUtf8: true };
  }
}

/**
 * Yields each line (a trailing CR of CRLF removed) with its 1-based number. A UTF-8 byte-order mark
 * at the very start is dropped and reported through `onBom`.
 */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array>,
  onBom: () => void = () => {},
): AsyncGenerator<Line> {
  for await (const lines of readLineBatches(chunks, onBom)) yield* lines;
}

/** At most this much input per batch, so a huge chunk does not become a huge batch. */
const BATCH_BYTES = 64 * 1024;

/**
 * Whole lines of the input, not yet decoded: `bytes` is line `first` and those after it, each
 * ended by a newline but the last (whose newline is not in `bytes`); a CR before a newline is still
 * there. The bytes are only valid until the next run is asked for.
 */
export type LineRun = { bytes: Uint8Array; first: number };

/**
 * The input split into lines, a run per 64 KiB at most (a line that spans chunks is a run of its
 * own): the splitting of `readLineBatches`, for readers that scan the bytes themselves. A UTF-8
 * byte-order mark at the very start is dropped and reported through `onBom`.
 */
export async function* readLineRuns(
  chunks: AsyncIterable<Uint8Array>,
  onBom: () => void = () => {},
): AsyncGenerator<LineRun> {
  let carry: Uint8Array[] = [];
  let carryBytes = 0;
  let number = 0;
  const bom = new LeadingBom(onBom);
  for await (const raw of chunks) {
    const whole = bom.strip(raw);
    for (let at = 0; at < whole.length; at += BATCH_BYTES) {
      const chunk = whole.subarray(at, at + BATCH_BYTES);
      let start = 0;
      let newline = chunk.indexOf(0x0a);
      if (newline !== -1 && carryBytes > 0) {
        const piece = chunk.subarray(0, newline);
        const line = join([...carry, piece], carryBytes + piece.length);
        carry = [];
        carryBytes = 0;
        yield { bytes: line, first: ++number };
        start = newline + 1;
        newline = chunk.indexOf(0x0a, start);
      }
      if (newline !== -1) {
        let last = newline;
        let count = 0;
        for (; newline !== -1; newline = chunk.indexOf(0x0a, newline + 1)) {
          count++;
          last = newline;
        }
        yield { bytes: chunk.subarray(start, last), first: number + 1 };
        number += count;
        start = last + 1;
      }
      if (start < chunk.length) {
        carryBytes += chunk.length - start;
        if (carryBytes > MAX_LINE_BYTES) throw new LineTooLongError(number + 1);
        // A copy: the caller may reuse the chunk's buffer.
        carry.push(chunk.slice(start));
      }
    }
  }
  const held = bom.rest();
  if (held.length > 0) {
    carry.push(held);
    carryBytes += held.length;
  }
  if (carryBytes > 0) {
    const line = join(carry, carryBytes);
    yield { bytes: line, first: number + 1 };
  }
}

/**
 * `readLines`' lines, a batch per 64 KiB at most: a loop turn per line instead of an async
 * generator turn, and one decode for all the whole lines of a batch when they are valid UTF-8.
 */
export async function* readLineBatches(
  chunks: AsyncIterable<Uint8Array>,
  onBom: () => void = () => {},
): AsyncGenerator<Line[]> {
  for await (const run of readLineRuns(chunks, onBom)) yield linesOfRun(run);
}

/** The lines of a run, decoded. */
export function linesOfRun(run: LineRun): Line[] {
  const lines: Line[] = [];
  decodeLines(run.bytes, run.first - 1, lines);
  return lines;
}

/**
 * The lines of `bytes` (whole lines, without the last newline), numbered on from `number`, added
 * to `lines`; returns the last number. One strict decode for all of them; when that fails, each
 * line on its own, so only the broken ones are marked.
 */
function decodeLines(bytes: Uint8Array, number: number, lines: Line[]): number {
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline;
      lines.push(decode(bytes.subarray(start, end), ++number));
      if (newline === -1) return number;
      start = newline + 1;
    }
  }
  let start = 0;
  for (;;) {
    const newline = text.indexOf("\n", start);
    let end = newline === -1 ? text.length : newline;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    lines.push({ number: ++number, text: text.slice(start, end), invalidUtf8: false });
    if (newline === -1) return number;
    start = newline + 1;
  }
}

function join(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
