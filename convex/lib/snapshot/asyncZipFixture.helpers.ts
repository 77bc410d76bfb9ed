import { deflateSync } from "fflate";
import { Crc32 } from "./crc32";

/**
 * Test fixtures written byte for byte as Convex's exporter writes a snapshot ZIP, transcribed from
 * the Rust source and NOT from our writer, so a reader is judged against Convex rather than against
 * our other half. Convex (`crates/exports/src/zip_uploader.rs`) uses async_zip 0.0.18:
 * `ZipFileWriter::with_tokio`, every entry `write_entry_stream` with `Compression::Deflate` and
 * `.unix_permissions(0o644)`. From Majored/rs-async-zip at tag v0.0.18:
 *
 * - `base/write/entry_stream.rs` `write_lfh`: not `force_no_zip64`, so a ZIP64 extra with
 *   `uncompressed_size: Some(0)`, `compressed_size: Some(0)` (16 bytes of zeros) is pushed and the
 *   32-bit sizes are `NON_ZIP64_MAX_SIZE` (0xFFFFFFFF); CRC 0; flags data_descriptor (0x8) and
 *   filename_unicode (0x800); version needed `as_needed_to_extract` = 20 for Deflate; the date is
 *   `ZipDateTime::default()` (time 0, date 0: no `chrono` feature, Convex never sets one).
 * - `close`: the data descriptor is the signature, the CRC-32 and then `cdr_compressed_size`,
 *   `cdr_uncompressed_size` as u32, which are both `NON_ZIP64_MAX_SIZE` in ZIP64 mode: two
 *   0xFFFFFFFF placeholders, no sizes. The ZIP64 extra now also carries the offset, so the central
 *   header's extra is 28 bytes: uncompressed, compressed, offset (u64 each), and its 32-bit sizes
 *   and offset are 0xFFFFFFFF. Version made by `as_made_by` = 3 << 8 | 63; external attributes
 *   `0o644 << 16` (the builder's `unix_permissions`, no file-type bits); internal 0.
 * - `base/write/mod.rs` `close`: `is_zip64` was set by the first entry, so a ZIP64 end record
 *   (size 44, made by 0x033F, version needed 46, counts, directory size and offset) and its locator
 *   (disk 0, offset, 1 disk) always precede the end record, whose counts, size and offset are the
 *   real values while they fit (capped at 0xFFFF / 0xFFFFFFFF otherwise), comment empty.
 *
 * The compressed bytes come from fflate rather than flate2, which does not change the framing.
 */

export const ASYNC_ZIP_MADE_BY = (3 << 8) | 63;
export const UNIX_0644_EXTERNAL = (0o644 << 16) >>> 0;

export type FixtureEntry = { name: string; data: Uint8Array | string };

/** Classic framings other writers use, for readers that must accept them too. */
export type Framing =
  /** async_zip 0.0.18 as Convex uses it (the default). */
  | "asyncZip"
  /** 32-bit sizes in a signed descriptor, no ZIP64 (Info-ZIP streaming, Java). */
  | "descriptor32"
  /** 8-byte sizes in a signed descriptor after a ZIP64 local header (Go, .NET). */
  | "descriptor64"
  /** 32-bit sizes in a descriptor without its optional signature. */
  | "descriptorUnsigned"
  /** Sizes and CRC in the local header, no descriptor. */
  | "noDescriptor";

/** Every framing above, for tests that read each one. */
export const FRAMINGS: readonly Framing[] = [
  "asyncZip",
  "descriptor32",
  "descriptor64",
  "descriptorUnsigned",
  "noDescriptor",
];

const encoder = new TextEncoder();

class Out {
  private parts: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array) {
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  fields(...spec: [size: 2 | 4 | 8, value: number][]) {
    const bytes = new Uint8Array(spec.reduce((n, [size]) => n + size, 0));
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (const [size, value] of spec) {
      if (size === 2) view.setUint16(at, value, true);
      else if (size === 4) view.setUint32(at, value >>> 0, true);
      else view.setBigUint64(at, BigInt(value), true);
      at += size;
    }
    this.push(bytes);
  }
  bytes(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

const MAX32 = 0xffffffff;

/** A whole ZIP in the given framing (async_zip's unless told). */
export function fixtureZip(entries: FixtureEntry[], framing: Framing = "asyncZip"): Uint8Array<ArrayBuffer> {
  const out = new Out();
  const central: {
    name: Uint8Array;
    crc: number;
    size: number;
    compressedSize: number;
    offset: number;
  }[] = [];
  const zip64 = framing === "asyncZip" || framing === "descriptor64";
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const data = typeof entry.data === "string" ? encoder.encode(entry.data) : entry.data;
    const compressed = deflateSync(data, { level: 6 });
    const crc = new Crc32().update(data).value;
    const offset = out.length;
    const descriptor = framing !== "noDescriptor";
    // Local header.
    out.fields(
      [4, 0x04034b50],
      [2, framing === "descriptor64" ? 45 : 20],
      [2, (descriptor ? 0x8 : 0) | 0x800],
      [2, 8],
      [2, 0],
      [2, 0],
      [4, descriptor ? 0 : crc],
      [4, zip64 ? MAX32 : descriptor ? 0 : compressed.length],
      [4, zip64 ? MAX32 : descriptor ? 0 : data.length],
      [2, name.length],
      [2, zip64 ? 20 : 0],
    );
    out.push(name);
    if (zip64) out.fields([2, 0x0001], [2, 16], [8, 0], [8, 0]);
    out.push(compressed);
    if (framing === "asyncZip") out.fields([4, 0x08074b50], [4, crc], [4, MAX32], [4, MAX32]);
    else if (framing === "descriptor64") {
      out.fields([4, 0x08074b50], [4, crc], [8, compressed.length], [8, data.length]);
    } else if (framing === "descriptor32") {
      out.fields([4, 0x08074b50], [4, crc], [4, compressed.length], [4, data.length]);
    } else if (framing === "descriptorUnsigned") {
      out.fields([4, crc], [4, compressed.length], [4, data.length]);
    }
    central.push({ name, crc, size: data.length, compressedSize: compressed.length, offset });
  }
  const centralStart = out.length;
  for (const record of central) {
    out.fields(
      [4, 0x02014b50],
      [2, framing === "asyncZip" ? ASYNC_ZIP_MADE_BY : (3 << 8) | 20],
      [2, framing === "descriptor64" ? 45 : 20],
      [2, (framing !== "noDescriptor" ? 0x8 : 0) | 0x800],
      [2, 8],
      [2, 0],
      [2, 0],
      [4, record.crc],
      [4, zip64 ? MAX32 : record.compressedSize],
      [4, zip64 ? MAX32 : record.size],
      [2, record.name.length],
      [2, zip64 ? 28 : 0],
      [2, 0],
      [2, 0],
      [2, 0],
      [4, UNIX_0644_EXTERNAL],
      [4, zip64 ? MAX32 : record.offset],
    );
    out.push(record.name);
    if (zip64)
      out.fields([2, 0x0001], [2, 24], [8, record.size], [8, record.compressedSize], [8, record.offset]);
  }
  const centralSize = out.length - centralStart;
  const count = central.length;
  if (zip64) {
    const end64 = out.length;
    out.fields(
      [4, 0x06064b50],
      [8, 44],
      [2, ASYNC_ZIP_MADE_BY],
      [2, 46],
      [4, 0],
      [4, 0],
      [8, count],
      [8, count],
      [8, centralSize],
      [8, centralStart],
    );
    out.fields([4, 0x07064b50], [4, 0], [8, end64], [4, 1]);
  }
  out.fields(
    [4, 0x06054b50],
    [2, 0],
    [2, 0],
    [2, Math.min(count, 0xffff)],
    [2, Math.min(count, 0xffff)],
    [4, Math.min(centralSize, MAX32)],
    [4, Math.min(centralStart, MAX32)],
    [2, 0],
  );
  return out.bytes();
}

/** Convex's README.md (`README_MD_CONTENTS` in zip_uploader.rs), for fixtures. */
export const CONVEX_README = `# Welcome to your Convex snapshot export!

This ZIP file contains a snapshot of the tables in your Convex deployment.

Documents for each table are listed as lines of JSON in
<table_name>/documents.jsonl files.

For details on the format and how to use this snapshot with npx convex import,
check out [the docs](https://docs.convex.dev/database/import-export/export) or
ask us in [Discord](http://convex.dev/community).
`;
