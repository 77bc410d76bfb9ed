import { Deflate } from "fflate";
import { Crc32 } from "./crc32";

/**
 * Streaming ZIP writer that frames every entry exactly as Convex's exporter does: async_zip 0.0.18
 * `write_entry_stream` with Deflate and unix mode 0644 (`crates/exports/src/zip_uploader.rs`;
 * Majored/rs-async-zip v0.0.18 `src/base/write/entry_stream.rs` and `mod.rs`). Each local header has
 * 0xFFFFFFFF in its 32-bit sizes and a ZIP64 extra with zero sizes; each entry ends with a data
 * descriptor holding the signature, the CRC-32 and two 0xFFFFFFFF placeholders (not the sizes); the
 * real sizes and offsets are only in the central directory's ZIP64 extras; a ZIP64 end record and
 * locator always precede the end record. Memory stays at one input chunk plus the compressor's window.
 */

export type ZipBytes = Uint8Array | string;
export type ZipEntrySource = { name: string; data: ZipBytes | Iterable<ZipBytes> | AsyncIterable<ZipBytes> };
export type ZipWriterOptions = {
  /**
   * The entries' modification time (DOS time, written in UTC). Convex leaves it unset (async_zip's
   * `ZipDateTime::default()`, date and time 0), and so does the local backend's export.
   */
  modifiedAt?: Date;
  /** Deflate level 1–9; 6 unless told (async-compression's `Level::Default` for flate2). */
  level?: number;
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
/** `unix_permissions(0o644)` sets the mode alone, without the regular-file type bits. */
const EXTERNAL_0644 = (0o644 << 16) >>> 0;
/** async_zip's `as_made_by`: unix, spec version 63. */
const VERSION_MADE_BY = (3 << 8) | 63;
/** `as_needed_to_extract` for Deflate. */
const VERSION_NEEDED = 20;
/** What the ZIP64 end record states as needed (async_zip writes 46). */
const VERSION_NEEDED_ZIP64_END = 46;
const FLAGS = FLAG_DATA_DESCRIPTOR | FLAG_UTF8;
const DEFLATE = 8;

type CentralRecord = { name: Uint8Array; crc: number; compressedSize: number; size: number; offset: number };

const encoder = new TextEncoder();

function dosDateTime(date: Date | undefined): { time: number; date: number } {
  if (date === undefined) return { time: 0, date: 0 };
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
    const localOffset = offset;
    yield* emit(
      new Bytes(30 + name.length + 20)
        .u32(LOCAL_HEADER_SIGNATURE)
        .u16(VERSION_NEEDED)
        .u16(FLAGS)
        .u16(DEFLATE)
        .u16(stamp.time)
        .u16(stamp.date)
        .u32(0)
        .u32(MAX32)
        .u32(MAX32)
        .u16(name.length)
        .u16(20)
        .bytes(name)
        // The ZIP64 extra as written before the sizes are known: uncompressed 0, compressed 0.
        .u16(ZIP64_EXTRA_ID)
        .u16(16)
        .u64(0)
        .u64(0).array,
    );

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
    // Placeholders where classic descriptors put the sizes: async_zip writes the central
    // directory's 32-bit fields here, which are 0xFFFFFFFF in ZIP64 mode.
    yield* emit(new Bytes(16).u32(DATA_DESCRIPTOR_SIGNATURE).u32(crc.value).u32(MAX32).u32(MAX32).array);
    records.push({ name, crc: crc.value, compressedSize, size, offset: localOffset });
  }

  const centralStart = offset;
  for (const record of records) {
    yield* emit(
      new Bytes(46 + record.name.length + 28)
        .u32(CENTRAL_HEADER_SIGNATURE)
        .u16(VERSION_MADE_BY)
        .u16(VERSION_NEEDED)
        .u16(FLAGS)
        .u16(DEFLATE)
        .u16(stamp.time)
        .u16(stamp.date)
        .u32(record.crc)
        .u32(MAX32)
        .u32(MAX32)
        .u16(record.name.length)
        .u16(28)
        .u16(0)
        .u16(0)
        .u16(0)
        .u32(EXTERNAL_0644)
        .u32(MAX32)
        .bytes(record.name)
        .u16(ZIP64_EXTRA_ID)
        .u16(24)
        .u64(record.size)
        .u64(record.compressedSize)
        .u64(record.offset).array,
    );
  }
  const centralSize = offset - centralStart;
  const count = records.length;
  const end64Offset = offset;
  yield* emit(
    new Bytes(56)
      .u32(ZIP64_END_SIGNATURE)
      .u64(44)
      .u16(VERSION_MADE_BY)
      .u16(VERSION_NEEDED_ZIP64_END)
      .u32(0)
      .u32(0)
      .u64(count)
      .u64(count)
      .u64(centralSize)
      .u64(centralStart).array,
  );
  yield* emit(new Bytes(20).u32(ZIP64_LOCATOR_SIGNATURE).u32(0).u64(end64Offset).u32(1).array);
  yield* emit(
    new Bytes(22)
      .u32(END_SIGNATURE)
      .u16(0)
      .u16(0)
      .u16(Math.min(count, MAX16))
      .u16(Math.min(count, MAX16))
      .u32(Math.min(centralSize, MAX32))
      .u32(Math.min(centralStart, MAX32))
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
