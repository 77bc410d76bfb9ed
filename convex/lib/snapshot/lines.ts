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
 * `readLines`' lines, a batch per 64 KiB at most: a loop turn per line instead of an async
 * generator turn, and one decode for all the whole lines of a batch when they are valid UTF-8.
 */
export async function* readLineBatches(
  chunks: AsyncIterable<Uint8Array>,
  onBom: () => void = () => {},
): AsyncGenerator<Line[]> {
  let carry: Uint8Array[] = [];
  let carryBytes = 0;
  let number = 0;
  let first = true;
  for await (const raw of chunks) {
    let whole = raw;
    if (first && whole.length > 0) {
      first = false;
      if (whole.length >= 3 && BOM.every((byte, index) => whole[index] === byte)) {
        whole = whole.subarray(3);
        onBom();
      }
    }
    for (let at = 0; at < whole.length; at += BATCH_BYTES) {
      const chunk = whole.subarray(at, at + BATCH_BYTES);
      const lines: Line[] = [];
      let start = 0;
      const newline = chunk.indexOf(0x0a);
      if (newline !== -1 && carryBytes > 0) {
        const piece = chunk.subarray(0, newline);
        lines.push(decode(join([...carry, piece], carryBytes + piece.length), ++number));
        carry = [];
        carryBytes = 0;
        start = newline + 1;
      }
      const last = chunk.lastIndexOf(0x0a);
      if (last >= start) {
        number = decodeLines(chunk.subarray(start, last), number, lines);
        start = last + 1;
      }
      if (start < chunk.length) {
        carryBytes += chunk.length - start;
        if (carryBytes > MAX_LINE_BYTES) {
          if (lines.length > 0) yield lines;
          throw new LineTooLongError(number + 1);
        }
        // A copy: the caller may reuse the chunk's buffer.
        carry.push(chunk.slice(start));
      }
      if (lines.length > 0) yield lines;
    }
  }
  if (carryBytes > 0) yield [decode(join(carry, carryBytes), number + 1)];
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
