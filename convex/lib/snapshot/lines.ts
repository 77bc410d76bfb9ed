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
  let carry: Uint8Array[] = [];
  let carryBytes = 0;
  let number = 0;
  let first = true;
  for await (const raw of chunks) {
    let chunk = raw;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.length >= 3 && BOM.every((byte, index) => chunk[index] === byte)) {
        chunk = chunk.subarray(3);
        onBom();
      }
    }
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      number++;
      if (carryBytes === 0) yield decode(piece, number);
      else {
        yield decode(join([...carry, piece], carryBytes + piece.length), number);
        carry = [];
        carryBytes = 0;
      }
      start = newline + 1;
    }
    if (start < chunk.length) {
      carryBytes += chunk.length - start;
      if (carryBytes > MAX_LINE_BYTES) throw new LineTooLongError(number + 1);
      // A copy: the caller may reuse the chunk's buffer.
      carry.push(chunk.slice(start));
    }
  }
  if (carryBytes > 0) yield decode(join(carry, carryBytes), number + 1);
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
