/**
 * Convex document ids: base32 (alphabet without i, l, o, u) of
 * [varint table number][16-byte internal id][2-byte footer], where the footer is a Fletcher-16
 * checksum (modulus 256) of the bytes before it, little-endian, XOR the id version (0).
 */

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

const INTERNAL_ID_LENGTH = 16;
const encodedLength = (bytes: number) => Math.ceil((bytes * 8) / 5);
const MIN_LENGTH = encodedLength(1 + INTERNAL_ID_LENGTH + 2);
const MAX_LENGTH = encodedLength(5 + INTERNAL_ID_LENGTH + 2);

export type DecodedId = { tableNumber: number; internalId: Uint8Array };

function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Scratch for decoding, reused: a typed array per id cost more than the decoding itself. */
const SCRATCH = new Uint8Array(Math.floor((MAX_LENGTH * 5) / 8));

/** Decodes `text[from..to)` into SCRATCH; the byte count, or -1 if it is not canonical base32. */
function base32Decode(text: string, from: number, to: number): number {
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) return -1;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      SCRATCH[o++] = (buffer >> (bits - 8)) & 255;
      bits -= 8;
    }
  }
  // The canonical spelling only: no character more than the bytes need, and zero padding bits.
  if (to - from !== encodedLength(o) || (buffer & ((1 << bits) - 1)) !== 0) return -1;
  return o;
}

function fletcher16(bytes: Uint8Array, length = bytes.length): number {
  let c0 = 0;
  let c1 = 0;
  for (let i = 0; i < length; i++) {
    c0 = (c0 + bytes[i]!) & 255;
    c1 = (c1 + c0) & 255;
  }
  return (c1 << 8) | c0;
}

export function encodeConvexId(tableNumber: number, internalId: Uint8Array): string {
  if (!Number.isInteger(tableNumber) || tableNumber < 1 || tableNumber > 0xffffffff) {
    throw new Error(`Table number ${tableNumber} is not a positive 32-bit integer.`);
  }
  if (internalId.length !== INTERNAL_ID_LENGTH) throw new Error("An internal id is 16 bytes.");
  const bytes: number[] = [];
  let n = tableNumber;
  while (n >= 0x80) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  bytes.push(...internalId);
  const footer = fletcher16(Uint8Array.from(bytes));
  bytes.push(footer & 255, footer >> 8);
  return base32Encode(Uint8Array.from(bytes));
}

/** The table number and internal id of a canonical Convex id, or null if `text` is not one. */
export function decodeConvexId(text: string): DecodedId | null {
  const tableNumber = convexIdTableNumber(text);
  if (tableNumber === null) return null;
  // convexIdTableNumber left the id's bytes in SCRATCH: the internal id is before the footer.
  const start = Math.floor((text.length * 5) / 8) - INTERNAL_ID_LENGTH - 2;
  return { tableNumber, internalId: SCRATCH.slice(start, start + INTERNAL_ID_LENGTH) };
}

/**
 * The table number of a canonical Convex id, or null if `text[from..to)` is not one: what verifying
 * a backup asks of every document, without copying out its internal id (or the id itself).
 */
export function convexIdTableNumber(text: string, from = 0, to = text.length): number | null {
  if (to - from < MIN_LENGTH || to - from > MAX_LENGTH) return null;
  const length = base32Decode(text, from, to);
  if (length < 0) return null;
  const bytes = SCRATCH;
  let tableNumber = 0;
  let pos = 0;
  for (let shift = 1; ; shift *= 128) {
    if (pos >= 5 || pos >= length) return null;
    const byte = bytes[pos++]!;
    tableNumber += (byte & 0x7f) * shift;
    if (byte < 0x80) break;
  }
  if (tableNumber === 0 || tableNumber > 0xffffffff) return null;
  if (pos + INTERNAL_ID_LENGTH + 2 !== length) return null;
  // Only the canonical spelling is an id: base32Decode checked the padding; the varint must be
  // minimal (what re-encoding the id, which cost a fifth of a backup's verification, checked).
  if (pos > 1 && bytes[pos - 1] === 0) return null;
  const footer = bytes[pos + INTERNAL_ID_LENGTH]! | (bytes[pos + INTERNAL_ID_LENGTH + 1]! << 8);
  if (footer !== fletcher16(bytes, pos + INTERNAL_ID_LENGTH)) return null;
  return tableNumber;
}
