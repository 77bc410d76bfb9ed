import { Deflate } from "fflate";
import { Crc32 } from "./crc32";

/**
 * Streaming ZIP writer. Sizes and CRCs are not known before an entry is written, so each deflated
 * entry has a data descriptor after its data (general-purpose flag bit 3), and the central directory at the
 * end carries the real values. ZIP64 records are added when a size, an offset or the entry count
 * outgrows the 32/16-bit fields. Entries are Deflate-compressed with unix mode 0644, like Convex's
 * exports. Memory stays at one input chunk plus the compressor's window.
 */

export type ZipBytes = Uint8Array | string;
export type ZipEntrySource =
  | { name: string; data: ZipBytes | Iterable<ZipBytes> | AsyncIterable<ZipBytes>; store?: false }
  /**
   * Stored without compression (method 0). A stored entry has no end marker of its own, so its
   * size and CRC go in the local header and its bytes must be at hand.
   */
  | { name: string; data: ZipBytes; store: true };
export type ZipWriterOptions = {
  /** The entries' modification time (DOS time, written in UTC). */
  modifiedAt: Date;
  /** Deflate level 1–9; 6 unless told. */
  level?: number;
  /** Write ZIP64 fields even for small archives (for tests of readers). */
  forceZip64?: boolean;
  /** Output chunk size in bytes. */
  chunkSize?: number;
};

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const ZIP64_END_SIGNATURE = 0x06064b50;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
export const END_SIGNATURE = 0x06054b50;
export const ZIP64_EXTRA_ID = 0x0001;
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const UNIX_MODE_0644 = 0o100644;
const VERSION_MADE_BY_UNIX = (3 << 8) | 45;

type CentralRecord = {
  name: Uint8Array;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
};

const encoder = new TextEncoder();

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

class Bytes {
  readonly array: Uint8Array;
  readonly view: DataView;
  pos = 0;
  constructor(length: number) {
    this.array = new Uint8Array(length);
    this.view = new DataView(this.array.buffer);
  }
  u16(value: number) {
    this.view.setUint16(this.pos, value, true);
    this.pos += 2;
    return this;
  }
  u32(value: number) {
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
    return this;
  }
  u64(value: number) {
    this.view.setBigUint64(this.pos, BigInt(value), true);
    this.pos += 8;
    return this;
  }
  bytes(value: Uint8Array) {
    this.array.set(value, this.pos);
    this.pos += value.length;
    return this;
  }
}

async function* chunksOf(data: ZipEntrySource["data"]): AsyncGenerator<Uint8Array> {
  if (typeof data === "string") yield encoder.encode(data);
  else if (data instanceof Uint8Array) yield data;
  else for await (const part of data) yield typeof part === "string" ? encoder.encode(part) : part;
}

/** Collects small pieces into chunks of about `size` bytes. */
class Coalescer {
  private parts: Uint8Array[] = [];
  private length = 0;
  constructor(private readonly size: number) {}
  add(part: Uint8Array): Uint8Array | null {
    if (part.length === 0) return null;
    this.parts.push(part);
    this.length += part.length;
    return this.length >= this.size ? this.take() : null;
  }
  take(): Uint8Array | null {
    if (this.length === 0) return null;
    const out = this.parts.length === 1 ? this.parts[0]! : new Uint8Array(this.length);
    if (this.parts.length > 1) {
      let offset = 0;
      for (const part of this.parts) out.set(part, (offset += part.length) - part.length);
    }
    this.parts = [];
    this.length = 0;
    return out;
  }
}

/** The ZIP's bytes, produced as the caller pulls them (an async generator keeps back-pressure). */
export async function* zipChunks(
  entries: Iterable<ZipEntrySource> | AsyncIterable<ZipEntrySource>,
  options: ZipWriterOptions,
): AsyncGenerator<Uint8Array> {
  const stamp = dosDateTime(options.modifiedAt);
  const level = (options.level ?? 6) as 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  const zip64 = options.forceZip64 === true;
  const output = new Coalescer(options.chunkSize ?? 65536);
  const records: CentralRecord[] = [];
  const names = new Set<string>();
  let offset = 0;

  function* emit(part: Uint8Array): Generator<Uint8Array> {
    offset += part.length;
    const chunk = output.add(part);
    if (chunk) yield chunk;
  }

  for await (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`The ZIP already has an entry named ${entry.name}.`);
    names.add(entry.name);
    const name = encoder.encode(entry.name);
    const method = entry.store ? 0 : 8;
    const storedBytes = entry.store
      ? typeof entry.data === "string"
        ? encoder.encode(entry.data)
        : entry.data
      : null;
    const storedCrc = storedBytes ? new Crc32().update(storedBytes).value : 0;
    const flags = (storedBytes ? 0 : FLAG_DATA_DESCRIPTOR) | FLAG_UTF8;
    const localOffset = offset;
    const header = new Bytes(30 + name.length + (zip64 ? 20 : 0))
      .u32(LOCAL_HEADER_SIGNATURE)
      .u16(zip64 ? 45 : 20)
      .u16(flags)
      .u16(method)
      .u16(stamp.time)
      .u16(stamp.date)
      .u32(storedCrc)
      .u32(zip64 ? MAX32 : (storedBytes?.length ?? 0))
      .u32(zip64 ? MAX32 : (storedBytes?.length ?? 0))
      .u16(name.length)
      .u16(zip64 ? 20 : 0)
      .bytes(name);
    if (zip64)
      header
        .u16(ZIP64_EXTRA_ID)
        .u16(16)
        .u64(storedBytes?.length ?? 0)
        .u64(storedBytes?.length ?? 0);
    yield* emit(header.array);
    if (storedBytes) {
      yield* emit(storedBytes);
      const size = storedBytes.length;
      records.push({ name, method, flags, crc: storedCrc, compressedSize: size, size, offset: localOffset });
      continue;
    }

    const crc = new Crc32();
    let size = 0;
    let compressedSize = 0;
    const pending: Uint8Array[] = [];
    const deflate = new Deflate({ level }, (chunk: Uint8Array) => void pending.push(chunk));
    for await (const chunk of chunksOf(entry.data)) {
      crc.update(chunk);
      size += chunk.length;
      deflate.push(chunk, false);
      for (const part of pending.splice(0)) {
        compressedSize += part.length;
        yield* emit(part);
      }
    }
    deflate.push(new Uint8Array(0), true);
    for (const part of pending.splice(0)) {
      compressedSize += part.length;
      yield* emit(part);
    }

    const large = zip64 || size >= MAX32 || compressedSize >= MAX32;
    const descriptor = new Bytes(large ? 24 : 16).u32(DATA_DESCRIPTOR_SIGNATURE).u32(crc.value);
    if (large) descriptor.u64(compressedSize).u64(size);
    else descriptor.u32(compressedSize).u32(size);
    yield* emit(descriptor.array);
    records.push({ name, method, flags, crc: crc.value, compressedSize, size, offset: localOffset });
  }

  const centralStart = offset;
  for (const record of records) {
    const needs64 = zip64 || record.size >= MAX32 || record.compressedSize >= MAX32 || record.offset >= MAX32;
    const extraLength = needs64 ? 28 : 0;
    const central = new Bytes(46 + record.name.length + extraLength)
      .u32(CENTRAL_HEADER_SIGNATURE)
      .u16(VERSION_MADE_BY_UNIX)
      .u16(needs64 ? 45 : 20)
      .u16(record.flags)
      .u16(record.method)
      .u16(stamp.time)
      .u16(stamp.date)
      .u32(record.crc)
      .u32(needs64 ? MAX32 : record.compressedSize)
      .u32(needs64 ? MAX32 : record.size)
      .u16(record.name.length)
      .u16(extraLength)
      .u16(0)
      .u16(0)
      .u16(0)
      .u32((UNIX_MODE_0644 << 16) >>> 0)
      .u32(needs64 ? MAX32 : record.offset)
      .bytes(record.name);
    if (needs64)
      central.u16(ZIP64_EXTRA_ID).u16(24).u64(record.size).u64(record.compressedSize).u64(record.offset);
    yield* emit(central.array);
  }
  const centralSize = offset - centralStart;
  const count = records.length;
  if (zip64 || count >= MAX16 || centralStart >= MAX32 || centralSize >= MAX32) {
    const end64Offset = offset;
    yield* emit(
      new Bytes(56)
        .u32(ZIP64_END_SIGNATURE)
        .u64(44)
        .u16(VERSION_MADE_BY_UNIX)
        .u16(45)
        .u32(0)
        .u32(0)
        .u64(count)
        .u64(count)
        .u64(centralSize)
        .u64(centralStart).array,
    );
    yield* emit(new Bytes(20).u32(ZIP64_LOCATOR_SIGNATURE).u32(0).u64(end64Offset).u32(1).array);
  }
  const big = zip64 || count >= MAX16 || centralStart >= MAX32 || centralSize >= MAX32;
  yield* emit(
    new Bytes(22)
      .u32(END_SIGNATURE)
      .u16(0)
      .u16(0)
      .u16(big ? MAX16 : count)
      .u16(big ? MAX16 : count)
      .u32(big ? MAX32 : centralSize)
      .u32(big ? MAX32 : centralStart)
      .u16(0).array,
  );
  const last = output.take();
  if (last) yield last;
}

/** The same bytes as a ReadableStream, pulled chunk by chunk. */
export function zipStream(
  entries: Iterable<ZipEntrySource> | AsyncIterable<ZipEntrySource>,
  options: ZipWriterOptions,
): ReadableStream<Uint8Array> {
  return iterableToStream(zipChunks(entries, options));
}

export function iterableToStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}
