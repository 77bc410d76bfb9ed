import { Crc32 } from "./crc32";
import { RawInflater } from "./inflate";
import {
  CENTRAL_HEADER_SIGNATURE,
  DATA_DESCRIPTOR_SIGNATURE,
  END_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  LOCAL_HEADER_SIGNATURE,
  ZIP64_END_SIGNATURE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_SIGNATURE,
} from "./zipWriter";

/**
 * Streaming ZIP reader: walks the local headers in order, inflating each entry as its bytes arrive
 * and checking its CRC-32, then checks every entry's CRC-32, sizes and offset against the central
 * directory, which is the authority (as for rc-zip, the reader of Convex's importer). It never
 * seeks, so it reads a download or a stored file straight from its stream, and holds one chunk plus
 * the inflater's window; the central directory is read last, so the sizes it states are compared
 * once the entries have streamed by (an entry larger than stated fails there, and a consumer bounds
 * what it holds meanwhile, e.g. one line). Entries written with a data descriptor (no sizes in the
 * local header) are found by inflating to the end of their DEFLATE stream; the descriptor that
 * follows is recognised in each form writers use: 32-bit sizes, 64-bit (ZIP64) sizes, or, as
 * async_zip 0.0.18 (Convex's exporter) writes it, two 0xFFFFFFFF placeholders instead of sizes —
 * each with or without its signature, told apart by the record signature that must follow.
 * Names that could escape a folder (`..`, a leading `/`, a backslash) and duplicate names are
 * refused by name before their data is read.
 */

export class ZipFormatError extends Error {
  override name = "ZipFormatError";
}

export type ZipEntry = {
  name: string;
  /** Byte offset of the entry's local header. */
  offset: number;
  method: number;
  isDirectory: boolean;
  /** The entry's uncompressed bytes. Read it fully or not at all; an unread entry is still checked. */
  chunks(): AsyncGenerator<Uint8Array>;
};

type LocalRecord = { name: string; crc: number; compressedSize: number; size: number; offset: number };

const MAX32 = 0xffffffff;
/**
 * Compressed bytes handed to the inflater at once: DEFLATE expands at most 1032:1, so one step
 * yields at most ~8 MiB even from a deflate bomb.
 */
const INFLATE_STEP = 8192;
/** Inflated bytes read past a content error to find the CRC-32 or size failure behind it. */
const INTEGRITY_READ_LIMIT = 64 * 1024 * 1024;
const decoder = new TextDecoder("utf-8", { fatal: false });

class ByteSource {
  private buffer: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Absolute offset of the next unread byte. */
  offset = 0;
  private ended = false;

  constructor(private readonly iterator: AsyncIterator<Uint8Array>) {}

  private get buffered() {
    return this.buffer.length - this.pos;
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      if (next.value.length === 0) continue;
      const rest = this.buffer.subarray(this.pos);
      if (rest.length === 0) this.buffer = next.value;
      else {
        const joined = new Uint8Array(rest.length + next.value.length);
        joined.set(rest);
        joined.set(next.value, rest.length);
        this.buffer = joined;
      }
      this.pos = 0;
      return true;
    }
  }

  /** Exactly `length` bytes, or null if the stream ends first (nothing is consumed then). */
  async tryRead(length: number): Promise<Uint8Array | null> {
    while (this.buffered < length) if (!(await this.pull())) return null;
    const out = this.buffer.subarray(this.pos, this.pos + length);
    this.pos += length;
    this.offset += length;
    return out;
  }

  /** Up to `length` bytes from the current position without consuming them (fewer at the end). */
  async peek(length: number): Promise<Uint8Array> {
    while (this.buffered < length) if (!(await this.pull())) break;
    return this.buffer.subarray(this.pos, this.pos + Math.min(length, this.buffered));
  }

  /** Up to `limit` bytes that are already buffered or arrive next; null at the end of the stream. */
  async readSome(limit: number): Promise<Uint8Array | null> {
    if (this.buffered === 0 && !(await this.pull())) return null;
    const length = Math.min(limit, this.buffered);
    const out = this.buffer.subarray(this.pos, this.pos + length);
    this.pos += length;
    this.offset += length;
    return out;
  }

  /** Gives back bytes read too far (those after a DEFLATE stream's end). */
  unread(bytes: Uint8Array) {
    if (bytes.length === 0) return;
    const rest = this.buffer.subarray(this.pos);
    const joined = new Uint8Array(bytes.length + rest.length);
    joined.set(bytes);
    joined.set(rest, bytes.length);
    this.buffer = joined;
    this.pos = 0;
    this.offset -= bytes.length;
  }

  /** Stops reading: cancels the underlying stream (a download, a stored file). */
  async close() {
    this.ended = true;
    await this.iterator.return?.();
  }

  async atEnd(): Promise<boolean> {
    return this.buffered === 0 && !(await this.pull());
  }
}

function toAsyncIterator(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncIterator<Uint8Array> {
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  return {
    next: async () => {
      const { done, value } = await reader.read();
      return done ? { done: true, value: undefined } : { done: false, value };
    },
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}

const hex32 = (value: number) => value.toString(16).padStart(8, "0");

function zip64Values(extra: Uint8Array, wanted: boolean[]): number[] {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let i = 0; i + 4 <= extra.length;) {
    const id = view.getUint16(i, true);
    const length = view.getUint16(i + 2, true);
    if (id === ZIP64_EXTRA_ID) {
      const values: number[] = [];
      let at = i + 4;
      for (const want of wanted) {
        if (!want) continue;
        if (at + 8 > i + 4 + length) throw new ZipFormatError("a ZIP64 extra field is too short");
        values.push(Number(view.getBigUint64(at, true)));
        at += 8;
      }
      return values;
    }
    i += 4 + length;
  }
  return [];
}

/** Why a name is refused, or null: a path that could leave the folder it is unpacked in. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes("\\")) return "it contains a backslash";
  if (name.startsWith("/")) return "it starts with /";
  if (name.split("/").includes("..")) return "it contains a .. segment";
  return null;
}

const RECORD_SIGNATURES = new Set([
  LOCAL_HEADER_SIGNATURE,
  CENTRAL_HEADER_SIGNATURE,
  ZIP64_END_SIGNATURE,
  END_SIGNATURE,
]);

/**
 * An entry's chunks as an iterable that a consumer stopping early (a bad line) does not close, so
 * `integrityFirst` can still read the rest of the entry.
 */
export function keptOpen(body: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => ({ next: () => body.next() }) };
}

/**
 * A content error in an entry (a line that does not parse) is often only the symptom of damage.
 * Reads the rest of the entry (at most INTEGRITY_READ_LIMIT inflated bytes, so a bomb's long line
 * is not inflated for ever) and throws the CRC-32 or size failure if there is one, else `error`.
 */
export async function integrityFirst(body: AsyncIterator<Uint8Array>, error: unknown): Promise<never> {
  if (error instanceof ZipFormatError) throw error;
  let read = 0;
  try {
    for (let next = await body.next(); !next.done; next = await body.next()) {
      read += next.value.length;
      if (read > INTEGRITY_READ_LIMIT) break;
    }
  } catch (integrity) {
    if (integrity instanceof ZipFormatError) throw integrity;
  }
  throw error;
}

export class ZipReader {
  private readonly source: ByteSource;
  private readonly records: LocalRecord[] = [];
  private readonly names = new Set<string>();

  constructor(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>) {
    this.source = new ByteSource(toAsyncIterator(source));
  }

  /** Bytes read so far (the archive's size once `entries()` has finished). */
  get bytesRead(): number {
    return this.source.offset;
  }

  /** Stops early, cancelling the source; for a caller that found a problem before the end. */
  async close() {
    await this.source.close();
  }

  /** Every entry in order; finishes only after the central directory and end record check out. */
  async *entries(): AsyncGenerator<ZipEntry> {
    for (;;) {
      const at = this.source.offset;
      const signatureBytes = await this.source.tryRead(4);
      if (signatureBytes === null) {
        throw new ZipFormatError(
          `The ZIP ends at byte ${at} after ${this.records.length} entries, without its central directory: it is truncated.`,
        );
      }
      const signature = new DataView(signatureBytes.buffer, signatureBytes.byteOffset, 4).getUint32(0, true);
      if (signature === LOCAL_HEADER_SIGNATURE) {
        const entry = await this.localEntry(at);
        let finished = false;
        const body = this.body(entry.header, () => (finished = true));
        let started = false;
        yield {
          name: entry.header.name,
          offset: at,
          method: entry.header.method,
          isDirectory: entry.header.name.endsWith("/"),
          chunks: () => {
            if (started) throw new Error(`Entry ${entry.header.name} can only be read once.`);
            started = true;
            return body;
          },
        };
        if (!started) for await (const _ of body);
        else if (!finished) throw new ZipFormatError(`Entry ${entry.header.name} was not read to its end.`);
        continue;
      }
      if (
        signature === CENTRAL_HEADER_SIGNATURE ||
        signature === ZIP64_END_SIGNATURE ||
        signature === END_SIGNATURE
      ) {
        this.source.unread(signatureBytes);
        await this.centralDirectory();
        return;
      }
      throw new ZipFormatError(
        `Unexpected bytes at offset ${at} (signature 0x${hex32(signature)}): the ZIP is corrupt.`,
      );
    }
  }

  private async need(length: number, what: string): Promise<Uint8Array> {
    const bytes = await this.source.tryRead(length);
    if (bytes === null) throw new ZipFormatError(`The ZIP ends inside ${what}: it is truncated.`);
    return bytes;
  }

  private async localEntry(offset: number) {
    const fixed = await this.need(26, `the local header at byte ${offset}`);
    const view = new DataView(fixed.buffer, fixed.byteOffset, 26);
    const flags = view.getUint16(2, true);
    const method = view.getUint16(4, true);
    const nameLength = view.getUint16(22, true);
    const extraLength = view.getUint16(24, true);
    const nameAndExtra = await this.need(nameLength + extraLength, `the local header at byte ${offset}`);
    const name = decoder.decode(nameAndExtra.subarray(0, nameLength));
    const unsafe = unsafeEntryName(name);
    if (unsafe) throw new ZipFormatError(`Entry ${JSON.stringify(name)} is refused: ${unsafe}.`);
    if (this.names.has(name)) {
      throw new ZipFormatError(`Entry ${JSON.stringify(name)} appears twice in the ZIP; it is refused.`);
    }
    this.names.add(name);
    const extra = nameAndExtra.slice(nameLength);
    let compressedSize = view.getUint32(14, true);
    let size = view.getUint32(18, true);
    if (size === MAX32 || compressedSize === MAX32) {
      const values = zip64Values(extra, [size === MAX32, compressedSize === MAX32]);
      if (size === MAX32) size = values.shift() ?? size;
      if (compressedSize === MAX32) compressedSize = values.shift() ?? compressedSize;
    }
    if (method !== 0 && method !== 8) {
      throw new ZipFormatError(
        `Entry ${name} uses compression method ${method}; only Deflate and Store are read.`,
      );
    }
    if (flags & 1) throw new ZipFormatError(`Entry ${name} is encrypted.`);
    const hasDescriptor = (flags & FLAG_DATA_DESCRIPTOR) !== 0;
    if (hasDescriptor && method === 0 && compressedSize === 0 && size === 0 && !name.endsWith("/")) {
      // Without a size or a self-terminating stream the end of the data cannot be found in one pass.
      throw new ZipFormatError(
        `Entry ${name} is stored with a data descriptor, which cannot be read as a stream.`,
      );
    }
    return {
      header: {
        name,
        method,
        hasDescriptor,
        crc: view.getUint32(10, true),
        compressedSize,
        size,
        offset,
      },
    };
  }

  private async *body(
    header: {
      name: string;
      method: number;
      hasDescriptor: boolean;
      crc: number;
      compressedSize: number;
      size: number;
      offset: number;
    },
    onFinished: () => void,
  ): AsyncGenerator<Uint8Array> {
    const { name } = header;
    const truncated = () =>
      new ZipFormatError(
        `The ZIP ends in the middle of entry ${name}: it is truncated (at byte ${this.source.offset}).`,
      );
    const crc = new Crc32();
    let size = 0;
    let compressedSize = 0;
    const sizeKnown = !header.hasDescriptor;

    if (header.method === 0) {
      let left = header.compressedSize;
      while (left > 0) {
        const chunk = await this.source.readSome(Math.min(left, 65536));
        if (chunk === null) throw truncated();
        left -= chunk.length;
        compressedSize += chunk.length;
        size += chunk.length;
        crc.update(chunk);
        yield chunk;
      }
    } else {
      const inflater = new RawInflater();
      const corrupt = (error: unknown) =>
        new ZipFormatError(
          `Entry ${name} is corrupt: its compressed data does not inflate (${error instanceof Error ? error.message : String(error)}).`,
        );
      while (!inflater.done) {
        const limit = sizeKnown ? header.compressedSize - compressedSize : INFLATE_STEP;
        if (limit === 0) {
          let tail: Uint8Array[];
          try {
            tail = inflater.end();
          } catch (error) {
            throw corrupt(error);
          }
          for (const out of tail) {
            crc.update(out);
            size += out.length;
            yield out;
          }
          break;
        }
        const chunk = await this.source.readSome(Math.min(limit, INFLATE_STEP));
        if (chunk === null) throw truncated();
        compressedSize += chunk.length;
        let outputs: Uint8Array[];
        try {
          outputs = inflater.push(chunk);
        } catch (error) {
          throw corrupt(error);
        }
        for (const out of outputs) {
          crc.update(out);
          size += out.length;
          yield out;
        }
      }
      const remainder = inflater.remainder();
      compressedSize -= remainder.length;
      if (sizeKnown && remainder.length > 0) {
        throw new ZipFormatError(`Entry ${name} is corrupt: its DEFLATE stream ends before its stated size.`);
      }
      this.source.unread(remainder);
    }

    let expected: { crc: number; compressedSize: number; size: number } = {
      crc: header.crc,
      compressedSize: header.compressedSize,
      size: header.size,
    };
    if (header.hasDescriptor) {
      const descriptor = await this.descriptor(name, compressedSize, size);
      expected = { crc: descriptor.crc, compressedSize, size };
    }
    if (crc.value !== expected.crc) {
      throw new ZipFormatError(
        `Entry ${name} failed its CRC-32 check (the ZIP says ${hex32(expected.crc)}, the data gives ${hex32(crc.value)}): its data is corrupt.`,
      );
    }
    if (size !== expected.size || compressedSize !== expected.compressedSize) {
      throw new ZipFormatError(
        `Entry ${name} has ${size} bytes (${compressedSize} compressed) but the ZIP says ${expected.size} (${expected.compressedSize} compressed).`,
      );
    }
    this.records.push({ name, crc: crc.value, compressedSize, size, offset: header.offset });
    onFinished();
  }

  /**
   * Consumes the data descriptor after an entry whose sizes the reader has just measured, and
   * returns its CRC-32. The form is found by where the next record's signature lies; the sizes a
   * descriptor states must be the measured ones (async_zip's placeholders state none: the central
   * directory checks them).
   */
  private async descriptor(name: string, compressedSize: number, size: number): Promise<{ crc: number }> {
    const bytes = await this.source.peek(4 + 4 + 16 + 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : -1);
    const u64 = (at: number) => (at + 8 <= bytes.length ? Number(view.getBigUint64(at, true)) : -1);
    const signatureAt = (at: number) => RECORD_SIGNATURES.has(u32(at));
    const starts = u32(0) === DATA_DESCRIPTOR_SIGNATURE ? [4, 0] : [0];
    // First where a record follows; then, failing that, any form that states these sizes (what
    // follows it is then reported as unexpected bytes, at its offset).
    for (const needSignature of [true, false]) {
      for (const start of starts) {
        const at = start + 4;
        const follows = (length: number) => !needSignature || signatureAt(at + length);
        let length = 0;
        if (u64(at) === compressedSize && u64(at + 8) === size && follows(16)) length = 16;
        else if (
          ((u32(at) === compressedSize % 2 ** 32 && u32(at + 4) === size % 2 ** 32) ||
            (u32(at) === MAX32 && u32(at + 4) === MAX32)) &&
          follows(8)
        ) {
          length = 8;
        }
        if (length > 0) {
          const crc = u32(start);
          await this.source.tryRead(at + length);
          return { crc };
        }
      }
    }
    if (bytes.length < 4 + 4 + 8 + 4) {
      throw new ZipFormatError(`The ZIP ends in the data descriptor of entry ${name}: it is truncated.`);
    }
    throw new ZipFormatError(
      `Entry ${name} failed its size check: its compressed data ends after ${compressedSize} bytes (${size} inflated), where no data descriptor follows: its data is corrupt.`,
    );
  }

  private async centralDirectory() {
    const centralStart = this.source.offset;
    let index = 0;
    for (;;) {
      const at = this.source.offset;
      const signatureBytes = await this.need(4, "the central directory");
      const signature = new DataView(signatureBytes.buffer, signatureBytes.byteOffset, 4).getUint32(0, true);
      if (signature !== CENTRAL_HEADER_SIGNATURE) {
        this.source.unread(signatureBytes);
        break;
      }
      const fixed = await this.need(42, "the central directory");
      const view = new DataView(fixed.buffer, fixed.byteOffset, 42);
      const nameLength = view.getUint16(24, true);
      const extraLength = view.getUint16(26, true);
      const commentLength = view.getUint16(28, true);
      const rest = await this.need(nameLength + extraLength + commentLength, "the central directory");
      const name = decoder.decode(rest.subarray(0, nameLength));
      const extra = rest.subarray(nameLength, nameLength + extraLength);
      let compressedSize = view.getUint32(16, true);
      let size = view.getUint32(20, true);
      let offset = view.getUint32(38, true);
      const values = zip64Values(extra, [size === MAX32, compressedSize === MAX32, offset === MAX32]);
      if (size === MAX32) size = values.shift() ?? size;
      if (compressedSize === MAX32) compressedSize = values.shift() ?? compressedSize;
      if (offset === MAX32) offset = values.shift() ?? offset;
      const local = this.records[index];
      const record = { name, crc: view.getUint32(12, true), compressedSize, size, offset };
      if (!local || local.name !== record.name || local.offset !== record.offset) {
        throw new ZipFormatError(
          `The central directory entry at byte ${at} (${name}) does not match the entry read at that position: the ZIP is corrupt.`,
        );
      }
      if (local.crc !== record.crc) {
        throw new ZipFormatError(
          `Entry ${name} failed its CRC-32 check (the central directory says ${hex32(record.crc)}, the data gives ${hex32(local.crc)}): its data is corrupt.`,
        );
      }
      if (local.size !== record.size || local.compressedSize !== record.compressedSize) {
        throw new ZipFormatError(
          `Entry ${name} has ${local.size} bytes (${local.compressedSize} compressed) but the central directory says ${record.size} (${record.compressedSize} compressed).`,
        );
      }
      index++;
    }
    if (index !== this.records.length) {
      throw new ZipFormatError(
        `The central directory lists ${index} entries but the ZIP holds ${this.records.length}: the ZIP is corrupt.`,
      );
    }
    const centralSize = this.source.offset - centralStart;
    let signature = await this.signature();
    if (signature === ZIP64_END_SIGNATURE) {
      const sizeBytes = await this.need(8, "the ZIP64 end record");
      const recordSize = Number(
        new DataView(sizeBytes.buffer, sizeBytes.byteOffset, 8).getBigUint64(0, true),
      );
      await this.need(recordSize, "the ZIP64 end record");
      signature = await this.signature();
    }
    if (signature === ZIP64_LOCATOR_SIGNATURE) {
      await this.need(16, "the ZIP64 end locator");
      signature = await this.signature();
    }
    if (signature !== END_SIGNATURE) {
      throw new ZipFormatError(
        `The ZIP has no end-of-central-directory record where it should be: it is corrupt.`,
      );
    }
    const end = await this.need(18, "the end-of-central-directory record");
    const view = new DataView(end.buffer, end.byteOffset, 18);
    const count = view.getUint16(6, true);
    const statedSize = view.getUint32(8, true);
    if (
      (count !== 0xffff && count !== this.records.length) ||
      (statedSize !== MAX32 && statedSize !== centralSize)
    ) {
      throw new ZipFormatError(
        `The end-of-central-directory record does not match the central directory: the ZIP is corrupt.`,
      );
    }
    await this.need(view.getUint16(16, true), "the ZIP comment");
    if (!(await this.source.atEnd())) {
      throw new ZipFormatError(
        `The ZIP has unexpected bytes after its end record (from byte ${this.source.offset}).`,
      );
    }
  }

  private async signature(): Promise<number> {
    const bytes = await this.need(4, "the end of the central directory");
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  }
}
