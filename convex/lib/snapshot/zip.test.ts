import { describe, expect, test } from "vitest";
import { collect, concatBytes, flipByte, inChunks, randomBytes, sameBytes } from "./testBytes.helpers";
import { ZipReader } from "./zipReader";
import { zipChunks, zipStream, type ZipEntrySource } from "./zipWriter";

const modifiedAt = new Date("2026-05-17T19:24:01Z");
const text = (s: string) => new TextEncoder().encode(s);

async function readAll(zip: Uint8Array | ReadableStream<Uint8Array>, maxChunk = 4096) {
  const reader = new ZipReader(zip instanceof Uint8Array ? inChunks(zip, maxChunk) : zip);
  const entries: { name: string; data: Uint8Array; method: number }[] = [];
  for await (const entry of reader.entries()) {
    entries.push({ name: entry.name, method: entry.method, data: await collect(entry.chunks()) });
  }
  return { entries, bytesRead: reader.bytesRead };
}

async function* slowly(parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

describe("ZIP writer and reader", () => {
  test("round-trips deflated, empty and streamed entries in order, across any chunking", async () => {
    const big = randomBytes(200_000);
    const lines = Array.from({ length: 3000 }, (_, i) => `{"_creationTime":${i}.0,"_id":"x${i}"}\n`);
    const sources: ZipEntrySource[] = [
      { name: "README.md", data: "# hello\n" },
      { name: "empty.txt", data: "" },
      { name: "tasks/documents.jsonl", data: slowly(lines) },
      { name: "_storage/blob.bin", data: [big.subarray(0, 1000), big.subarray(1000)] },
      { name: "ünïcode/名前.txt", data: "utf-8 names" },
    ];
    const zip = await collect(zipChunks(sources, { modifiedAt }));
    for (const maxChunk of [1 + Math.floor(zip.length / 3), 977, 31]) {
      const { entries, bytesRead } = await readAll(zip, maxChunk);
      expect(entries.map((e) => e.name)).toEqual(sources.map((s) => s.name));
      expect(new TextDecoder().decode(entries[2]!.data)).toBe(lines.join(""));
      expect(sameBytes(entries[3]!.data, big)).toBe(true);
      expect(entries.map((e) => e.method)).toEqual([8, 8, 8, 8, 8]);
      expect(new TextDecoder().decode(entries[4]!.data)).toBe("utf-8 names");
      expect(bytesRead).toBe(zip.length);
    }
  });

  test("deflate actually compresses JSON lines", async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `{"_creationTime":${1715973841548 + i}.0,"text":"task"}\n`,
    );
    const zip = await collect(
      zipChunks([{ name: "t/documents.jsonl", data: lines.join("") }], { modifiedAt }),
    );
    expect(zip.length).toBeLessThan(lines.join("").length / 4);
  });

  test("frames every entry field by field as async_zip 0.0.18 does for Convex", async () => {
    const data = "hello hello hello\n";
    const zip = await collect(zipChunks([{ name: "a.txt", data }], {}));
    const view = new DataView(zip.buffer);
    const u16 = (at: number) => view.getUint16(at, true);
    const u32 = (at: number) => view.getUint32(at, true);
    const u64 = (at: number) => Number(view.getBigUint64(at, true));
    // Local header: version 20, flags descriptor|UTF-8, Deflate, DOS time and date 0, CRC 0, both
    // 32-bit sizes 0xFFFFFFFF, then the name and a 20-byte ZIP64 extra with zero sizes.
    expect([u32(0), u16(4), u16(6), u16(8), u16(10), u16(12), u32(14), u32(18), u32(22)]).toEqual([
      0x04034b50, 20, 0x0808, 8, 0, 0, 0, 0xffffffff, 0xffffffff,
    ]);
    expect([u16(26), u16(28), u16(35), u16(37), u64(39), u64(47)]).toEqual([5, 20, 1, 16, 0, 0]);
    // The descriptor: signature, CRC-32, then two 0xFFFFFFFF placeholders instead of the sizes.
    const descriptor = zip.findIndex((_, i) => i > 55 && u32(Math.min(i, zip.length - 4)) === 0x08074b50);
    const crc = u32(descriptor + 4);
    expect([u32(descriptor + 8), u32(descriptor + 12)]).toEqual([0xffffffff, 0xffffffff]);
    // Central header: made by unix/63, the CRC, sizes and offset only in its 28-byte ZIP64 extra,
    // external attributes 0644 << 16 (no file-type bits).
    const central = descriptor + 16;
    expect([u32(central), u16(central + 4), u16(central + 6), u16(central + 8), u16(central + 10)]).toEqual([
      0x02014b50, 0x033f, 20, 0x0808, 8,
    ]);
    expect([u32(central + 16), u32(central + 20), u32(central + 24), u32(central + 42)]).toEqual([
      crc,
      0xffffffff,
      0xffffffff,
      0xffffffff,
    ]);
    expect([u16(central + 30), u32(central + 38)]).toEqual([28, 0o644 << 16]);
    const extra = central + 46 + 5;
    expect([u16(extra), u16(extra + 2), u64(extra + 4), u64(extra + 12), u64(extra + 20)]).toEqual([
      1,
      24,
      data.length,
      descriptor - 55,
      0,
    ]);
    // Always a ZIP64 end record (made by 0x033F, needed 46) and its locator before the end record.
    const end64 = extra + 28;
    expect([
      u32(end64),
      u64(end64 + 4),
      u16(end64 + 12),
      u16(end64 + 14),
      u64(end64 + 24),
      u64(end64 + 48),
    ]).toEqual([0x06064b50, 44, 0x033f, 46, 1, central]);
    expect([u32(end64 + 56), u64(end64 + 64), u32(end64 + 72)]).toEqual([0x07064b50, end64, 1]);
    expect([u32(end64 + 76), u16(end64 + 86), u32(end64 + 92)]).toEqual([0x06054b50, 1, central]);
    expect(zip.length).toBe(end64 + 76 + 22);
  });

  test("an archive with no entries is valid", async () => {
    const zip = await collect(zipChunks([], { modifiedAt }));
    expect(zip.length).toBe(56 + 20 + 22);
    expect((await readAll(zip)).entries).toEqual([]);
  });

  test("duplicate names are refused", async () => {
    await expect(
      collect(
        zipChunks(
          [
            { name: "a", data: "1" },
            { name: "a", data: "2" },
          ],
          { modifiedAt },
        ),
      ),
    ).rejects.toThrow(/already/);
  });

  test("zipStream pulls lazily: entries are produced only as the stream is read", async () => {
    let produced = 0;
    function* entries(): Generator<ZipEntrySource> {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield { name: `e${i}`, data: randomBytes(70_000) };
      }
    }
    const reader = zipStream(entries(), { modifiedAt }).getReader();
    await reader.read();
    expect(produced).toBeLessThan(5);
    await reader.cancel();
  });

  test("unread entries are still checked, and the reader accepts a ReadableStream", async () => {
    const zip = await collect(
      zipChunks(
        [
          { name: "a", data: "1" },
          { name: "b", data: "2" },
        ],
        { modifiedAt },
      ),
    );
    const names: string[] = [];
    const reader = new ZipReader(new Blob([zip]).stream());
    for await (const entry of reader.entries()) names.push(entry.name);
    expect(names).toEqual(["a", "b"]);
  });
});

describe("ZIP reader failures", () => {
  async function failure(zip: Uint8Array): Promise<string> {
    try {
      await readAll(zip);
    } catch (error) {
      return (error as Error).message;
    }
    return "no error";
  }

  async function sample() {
    return collect(
      zipChunks(
        [
          { name: "README.md", data: "readme" },
          { name: "tasks/documents.jsonl", data: "x".repeat(10_000) + "y" },
          { name: "plain.txt", data: "abcdefghij".repeat(100) },
        ],
        { modifiedAt },
      ),
    );
  }

  test("a truncated ZIP says where it ends", async () => {
    const zip = await sample();
    expect(await failure(zip.subarray(0, 180))).toMatch(
      /ends in the middle of entry tasks\/documents\.jsonl: it is truncated/,
    );
    expect(await failure(zip.subarray(0, zip.length - 30))).toMatch(/truncated|end-of-central-directory/);
    const centralStart = new DataView(zip.buffer).getUint32(zip.length - 6, true);
    expect(await failure(zip.subarray(0, centralStart))).toMatch(
      /without its central directory: it is truncated/,
    );
  });

  test("a CRC-32 that disagrees with the data fails, in the descriptor or in the central directory", async () => {
    const zip = await sample();
    const view = new DataView(zip.buffer);
    const descriptor = zip.findIndex(
      (_, i) => view.getUint32(Math.min(i, zip.length - 4), true) === 0x08074b50,
    );
    flipByte(zip, descriptor + 4, 0x01);
    expect(await failure(zip)).toMatch(/Entry README\.md failed its CRC-32 check/);
    flipByte(zip, descriptor + 4, 0x01);
    const central = view.getUint32(zip.length - 6, true);
    flipByte(zip, central + 16, 0x01);
    expect(await failure(zip)).toMatch(
      /Entry README\.md failed its CRC-32 check \(the central directory says/,
    );
  });

  test("a flipped byte in deflated data is caught, naming the entry", async () => {
    const zip = await sample();
    const view = new DataView(zip.buffer);
    const descriptor = zip.findIndex(
      (_, i) => view.getUint32(Math.min(i, zip.length - 4), true) === 0x08074b50,
    );
    flipByte(zip, descriptor + 16 + 30 + "tasks/documents.jsonl".length + 20 + 5, 0xff);
    expect(await failure(zip)).toMatch(
      /Entry tasks\/documents\.jsonl (is corrupt|failed its CRC-32 check|has)/,
    );
  });

  test("bytes after the end record are reported", async () => {
    const zip = concatBytes([await sample(), text("junk")]);
    expect(await failure(zip)).toMatch(/unexpected bytes after its end record/);
  });
});
