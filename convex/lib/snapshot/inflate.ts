/**
 * Streaming raw DEFLATE decoder (RFC 1951) that knows where its stream ends. A ZIP entry written with
 * a data descriptor does not say its compressed size up front, so the reader must learn from the
 * decoder which byte follows the last block; general-purpose inflaters do not report that.
 *
 * The decoder is a generator that pauses whenever it might need more input than it holds, so a
 * chunk boundary can fall anywhere. Memory is the 32 KiB window plus one output chunk.
 */

export class InflateError extends Error {
  override name = "InflateError";
}

const WINDOW = 32768;
const CHUNK = 65536;
/** The most bits one literal/length code plus one distance code can take (15+5+15+13). */
const MAX_SEQUENCE_BITS = 48;

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A lookup table indexed by the next `bits` input bits (LSB first); entry = symbol << 4 | code length. */
type Huffman = { table: Int32Array; bits: number };

function buildHuffman(lengths: Uint8Array): Huffman {
  let maxBits = 0;
  const counts = new Uint16Array(16);
  for (const length of lengths) {
    counts[length]!++;
    if (length > maxBits) maxBits = length;
  }
  const table = new Int32Array(1 << maxBits);
  if (maxBits === 0) return { table, bits: 0 };
  counts[0] = 0;
  let left = 1;
  for (let bits = 1; bits <= 15; bits++) {
    left = (left << 1) - counts[bits]!;
    if (left < 0) throw new InflateError("over-subscribed Huffman code");
  }
  const next = new Uint16Array(16);
  for (let bits = 1; bits < 15; bits++) next[bits + 1] = (next[bits]! + counts[bits]!) << 1;
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const length = lengths[symbol]!;
    if (length === 0) continue;
    const code = next[length]!++;
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((code >> i) & 1) << (length - 1 - i);
    for (let i = reversed; i < table.length; i += 1 << length) table[i] = (symbol << 4) | length;
  }
  return { table, bits: maxBits };
}

const FIXED_LITERALS = buildHuffman(
  Uint8Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)),
);
const FIXED_DISTANCES = buildHuffman(new Uint8Array(30).fill(5));

class State {
  input: Uint8Array = new Uint8Array(0);
  pos = 0;
  bitBuffer = 0;
  bitCount = 0;
  inputEnded = false;
  readonly window = new Uint8Array(WINDOW + CHUNK);
  out = 0;
  flushedTo = 0;
  totalOut = 0;
  readonly output: Uint8Array[] = [];

  available(): number {
    return this.bitCount + (this.input.length - this.pos) * 8;
  }

  private refill() {
    while (this.bitCount <= 24 && this.pos < this.input.length) {
      this.bitBuffer |= this.input[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
  }

  bits(count: number): number {
    if (count === 0) return 0;
    if (this.bitCount < count) this.refill();
    if (this.bitCount < count) throw new InflateError("the compressed data ends in the middle of a block");
    const value = this.bitBuffer & ((1 << count) - 1);
    this.bitBuffer >>>= count;
    this.bitCount -= count;
    return value;
  }

  decode(code: Huffman): number {
    if (this.bitCount < code.bits) this.refill();
    const entry = code.table[this.bitBuffer & ((1 << code.bits) - 1)]!;
    const length = entry & 15;
    if (length === 0) throw new InflateError("invalid Huffman code");
    if (length > this.bitCount) throw new InflateError("the compressed data ends in the middle of a block");
    this.bitBuffer >>>= length;
    this.bitCount -= length;
    return entry >> 4;
  }

  /** Keeps room for one more match; when the chunk is full, emits it and keeps the last 32 KiB. */
  reserve(count: number) {
    if (this.out + count <= this.window.length) return;
    this.flush();
    this.window.copyWithin(0, this.out - WINDOW, this.out);
    this.out = WINDOW;
    this.flushedTo = WINDOW;
  }

  flush() {
    if (this.out > this.flushedTo) this.output.push(this.window.slice(this.flushedTo, this.out));
    this.flushedTo = this.out;
  }

  /** The input after the end of the DEFLATE stream: whole bytes read ahead into the bit buffer first. */
  remainder(): Uint8Array {
    this.bitBuffer >>>= this.bitCount & 7;
    const buffered = this.bitCount >> 3;
    const rest = this.input.subarray(this.pos);
    const out = new Uint8Array(buffered + rest.length);
    for (let i = 0; i < buffered; i++) out[i] = (this.bitBuffer >>> (8 * i)) & 255;
    out.set(rest, buffered);
    return out;
  }
}

function* inflateBlocks(s: State): Generator<void, void, void> {
  let final: number;
  do {
    while (s.available() < MAX_SEQUENCE_BITS && !s.inputEnded) yield;
    final = s.bits(1);
    const type = s.bits(2);
    if (type === 0) {
      yield* storedBlock(s);
      continue;
    }
    if (type === 3) throw new InflateError("invalid block type");
    let literals = FIXED_LITERALS;
    let distances = FIXED_DISTANCES;
    if (type === 2) {
      const tables = yield* dynamicTables(s);
      literals = tables.literals;
      distances = tables.distances;
    }
    for (;;) {
      if (s.available() < MAX_SEQUENCE_BITS && !s.inputEnded) {
        do yield;
        while (s.available() < MAX_SEQUENCE_BITS && !s.inputEnded);
      }
      if (s.input.length - s.pos > FAST_INPUT_BYTES) {
        if (fastSequences(s, literals, distances)) break;
        continue;
      }
      const symbol = s.decode(literals);
      if (symbol < 256) {
        s.reserve(1);
        s.window[s.out++] = symbol;
        s.totalOut++;
        continue;
      }
      if (symbol === 256) break;
      const index = symbol - 257;
      if (index >= 29) throw new InflateError("invalid length code");
      const length = LENGTH_BASE[index]! + s.bits(LENGTH_EXTRA[index]!);
      const distanceSymbol = s.decode(distances);
      if (distanceSymbol >= 30) throw new InflateError("invalid distance code");
      const distance = DISTANCE_BASE[distanceSymbol]! + s.bits(DISTANCE_EXTRA[distanceSymbol]!);
      if (distance > s.totalOut)
        throw new InflateError("a back-reference points before the start of the data");
      s.reserve(length);
      const window = s.window;
      let from = s.out - distance;
      for (let i = 0; i < length; i++) window[s.out++] = window[from++]!;
      s.totalOut += length;
    }
  } while (!final);
}

/**
 * Input bytes the fast loop keeps in hand: one sequence's three refills read at most 9 (48 bits of
 * codes, the rest read ahead into the 32-bit buffer), so it never reads past the input.
 */
const FAST_INPUT_BYTES = 16;
/** The longest match: the fast loop keeps room for one in the window. */
const MAX_MATCH = 258;

/**
 * The same decoding as the careful loop in `inflateBlocks`, with the bit buffer, positions and
 * window in local variables, while more than FAST_INPUT_BYTES of input remain (so no check for the
 * input's end is needed per symbol). Returns true at the end of the block, false when the input
 * runs low. It was most of verification's inflate time as methods on the state.
 */
function fastSequences(s: State, literals: Huffman, distances: Huffman): boolean {
  const input = s.input;
  const window = s.window;
  const literalTable = literals.table;
  const literalMask = (1 << literals.bits) - 1;
  const distanceTable = distances.table;
  const distanceMask = (1 << distances.bits) - 1;
  const stop = input.length - FAST_INPUT_BYTES;
  let pos = s.pos;
  let bitBuffer = s.bitBuffer;
  let bitCount = s.bitCount;
  let out = s.out;
  let totalOut = s.totalOut;
  let ended = false;
  while (pos < stop) {
    if (out + MAX_MATCH > window.length) {
      s.out = out;
      s.reserve(MAX_MATCH);
      out = s.out;
    }
    while (bitCount <= 24) {
      bitBuffer |= input[pos++]! << bitCount;
      bitCount += 8;
    }
    const entry = literalTable[bitBuffer & literalMask]!;
    const codeLength = entry & 15;
    if (codeLength === 0) throw new InflateError("invalid Huffman code");
    bitBuffer >>>= codeLength;
    bitCount -= codeLength;
    const symbol = entry >> 4;
    if (symbol < 256) {
      window[out++] = symbol;
      totalOut++;
      continue;
    }
    if (symbol === 256) {
      ended = true;
      break;
    }
    const index = symbol - 257;
    if (index >= 29) throw new InflateError("invalid length code");
    while (bitCount <= 24) {
      bitBuffer |= input[pos++]! << bitCount;
      bitCount += 8;
    }
    const lengthExtra = LENGTH_EXTRA[index]!;
    const length = LENGTH_BASE[index]! + (bitBuffer & ((1 << lengthExtra) - 1));
    bitBuffer >>>= lengthExtra;
    bitCount -= lengthExtra;
    const distanceEntry = distanceTable[bitBuffer & distanceMask]!;
    const distanceLength = distanceEntry & 15;
    if (distanceLength === 0) throw new InflateError("invalid Huffman code");
    bitBuffer >>>= distanceLength;
    bitCount -= distanceLength;
    const distanceSymbol = distanceEntry >> 4;
    if (distanceSymbol >= 30) throw new InflateError("invalid distance code");
    while (bitCount <= 24) {
      bitBuffer |= input[pos++]! << bitCount;
      bitCount += 8;
    }
    const distanceExtra = DISTANCE_EXTRA[distanceSymbol]!;
    const distance = DISTANCE_BASE[distanceSymbol]! + (bitBuffer & ((1 << distanceExtra) - 1));
    bitBuffer >>>= distanceExtra;
    bitCount -= distanceExtra;
    if (distance > totalOut) throw new InflateError("a back-reference points before the start of the data");
    let from = out - distance;
    for (const end = out + length; out < end;) window[out++] = window[from++]!;
    totalOut += length;
  }
  s.pos = pos;
  s.bitBuffer = bitBuffer;
  s.bitCount = bitCount;
  s.out = out;
  s.totalOut = totalOut;
  return ended;
}

function* storedBlock(s: State): Generator<void, void, void> {
  s.bits(s.bitCount & 7);
  const length = s.bits(16);
  const inverse = s.bits(16);
  if ((length ^ 0xffff) !== inverse) throw new InflateError("a stored block's length check failed");
  let left = length;
  while (left > 0 && s.bitCount >= 8) {
    s.reserve(1);
    s.window[s.out++] = s.bits(8);
    s.totalOut++;
    left--;
  }
  while (left > 0) {
    if (s.pos >= s.input.length) {
      if (s.inputEnded) throw new InflateError("the compressed data ends in the middle of a block");
      yield;
      continue;
    }
    const take = Math.min(left, s.input.length - s.pos, CHUNK);
    s.reserve(take);
    s.window.set(s.input.subarray(s.pos, s.pos + take), s.out);
    s.out += take;
    s.pos += take;
    s.totalOut += take;
    left -= take;
  }
}

function* dynamicTables(s: State): Generator<void, { literals: Huffman; distances: Huffman }, void> {
  const literalCount = s.bits(5) + 257;
  const distanceCount = s.bits(5) + 1;
  const codeLengthCount = s.bits(4) + 4;
  while (s.available() < codeLengthCount * 3 && !s.inputEnded) yield;
  const codeLengthLengths = new Uint8Array(19);
  for (let i = 0; i < codeLengthCount; i++) codeLengthLengths[CODE_LENGTH_ORDER[i]!] = s.bits(3);
  const codeLengths = buildHuffman(codeLengthLengths);
  const lengths = new Uint8Array(literalCount + distanceCount);
  let i = 0;
  while (i < lengths.length) {
    while (s.available() < 14 && !s.inputEnded) yield;
    const symbol = s.decode(codeLengths);
    if (symbol < 16) {
      lengths[i++] = symbol;
      continue;
    }
    let repeat: number;
    let value = 0;
    if (symbol === 16) {
      if (i === 0) throw new InflateError("a length repeat has nothing to repeat");
      value = lengths[i - 1]!;
      repeat = 3 + s.bits(2);
    } else if (symbol === 17) repeat = 3 + s.bits(3);
    else repeat = 11 + s.bits(7);
    if (i + repeat > lengths.length) throw new InflateError("too many code lengths");
    lengths.fill(value, i, i + repeat);
    i += repeat;
  }
  if (lengths[256] === 0) throw new InflateError("the block has no end-of-block code");
  return {
    literals: buildHuffman(lengths.subarray(0, literalCount)),
    distances: buildHuffman(lengths.subarray(literalCount)),
  };
}

/**
 * Push compressed chunks in; get decompressed chunks out. Once `done`, `remainder` holds whatever
 * input followed the end of the DEFLATE stream (e.g. a ZIP data descriptor).
 */
export class RawInflater {
  private readonly state = new State();
  private readonly steps = inflateBlocks(this.state);
  private finished = false;

  get done(): boolean {
    return this.finished;
  }

  /** Bytes produced so far. */
  get totalOut(): number {
    return this.state.totalOut;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.finished) throw new InflateError("data pushed after the end of the compressed stream");
    const s = this.state;
    const rest = s.input.subarray(s.pos);
    if (rest.length === 0) s.input = chunk;
    else {
      const joined = new Uint8Array(rest.length + chunk.length);
      joined.set(rest);
      joined.set(chunk, rest.length);
      s.input = joined;
    }
    s.pos = 0;
    return this.run();
  }

  /** Says no more input will come; throws if the stream has not ended. */
  end(): Uint8Array[] {
    if (this.finished) return [];
    this.state.inputEnded = true;
    const output = this.run();
    if (!this.finished) throw new InflateError("the compressed data ends before its last block");
    return output;
  }

  remainder(): Uint8Array {
    if (!this.finished) throw new InflateError("the compressed stream has not ended yet");
    return this.state.remainder();
  }

  private run(): Uint8Array[] {
    const s = this.state;
    if (this.steps.next().done) {
      this.finished = true;
      s.flush();
    }
    return s.output.splice(0);
  }
}
