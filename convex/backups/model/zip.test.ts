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
  test("round-trips deflated, stored, empty and streamed entries in order, across any chunking", async () => {
    const big = randomBytes(200_000);
    const lines = Array.from({ length: 3000 }, (_, i) => `{"_creationTime":${i}.0,"_id":"x${i}"}\n`);
    const sources: ZipEntrySource[] = [
      { name: "README.md", data: "# hello\n" },
      { name: "empty.txt", data: "" },
      { name: "tasks/documents.jsonl", data: slowly(lines) },
      { name: "_storage/blob.bin", data: [big.subarray(0, 1000), big.subarray(1000)] },
      { name: "stored.txt", data: "stored as is", store: true },
      { name: "ünïcode/名前.txt", data: "utf-8 names" },
    ];
    const zip = await collect(zipChunks(sources, { modifiedAt }));
    for (const maxChunk of [1 + Math.floor(zip.length / 3), 977, 31]) {
      const { entries, bytesRead } = await readAll(zip, maxChunk);
      expect(entries.map((e) => e.name)).toEqual(sources.map((s) => s.name));
      expect(new TextDecoder().decode(entries[2]!.data)).toBe(lines.join(""));
      expect(sameBytes(entries[3]!.data, big)).toBe(true);
      expect(entries.map((e) => e.method)).toEqual([8, 8, 8, 8, 0, 8]);
      expect(new TextDecoder().decode(entries[4]!.data)).toBe("stored as is");
      expect(new TextDecoder().decode(entries[5]!.data)).toBe("utf-8 names");
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

  test("every entry has a data descriptor and unix 0644 mode in the central directory", async () => {
    const zip = await collect(zipChunks([{ name: "a.txt", data: "a" }], { modifiedAt }));
    const view = new DataView(zip.buffer);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(6, true) & 0x0008).toBe(0x0008);
    const central = zip.findIndex((_, i) => view.getUint32(Math.min(i, zip.length - 4), true) === 0x02014b50);
    expect(view.getUint32(central + 38, true) >>> 16).toBe(0o100644);
  });

  test("ZIP64 records are readable when forced", async () => {
    const zip = await collect(
      zipChunks(
        [
          { name: "a.txt", data: "hello" },
          { name: "b.txt", data: "" },
        ],
        { modifiedAt, forceZip64: true },
      ),
    );
    const { entries } = await readAll(zip);
    expect(entries.map((e) => [e.name, new TextDecoder().decode(e.data)])).toEqual([
      ["a.txt", "hello"],
      ["b.txt", ""],
    ]);
  });

  test("an archive with no entries is valid", async () => {
    const zip = await collect(zipChunks([], { modifiedAt }));
    expect(zip.length).toBe(22);
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
        yield { name: `e${i}`, data: randomBytes(70_000), store: true };
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
          { name: "plain.txt", data: "abcdefghij".repeat(100), store: true },
        ],
        { modifiedAt },
      ),
    );
  }

  test("a truncated ZIP says where it ends", async () => {
    const zip = await sample();
    expect(await failure(zip.subarray(0, 140))).toMatch(
      /ends in the middle of entry tasks\/documents\.jsonl: it is truncated/,
    );
    expect(await failure(zip.subarray(0, zip.length - 30))).toMatch(/truncated|end-of-central-directory/);
    const centralStart = new DataView(zip.buffer).getUint32(zip.length - 6, true);
    expect(await failure(zip.subarray(0, centralStart))).toMatch(
      /without its central directory: it is truncated/,
    );
  });

  test("a flipped byte in stored data fails the CRC-32 check, naming the entry", async () => {
    const zip = await sample();
    const at = zip.findIndex((_, i) => new TextDecoder().decode(zip.subarray(i, i + 10)) === "abcdefghij");
    flipByte(zip, at + 3, 0x01);
    expect(await failure(zip)).toMatch(/Entry plain\.txt failed its CRC-32 check/);
  });

  test("a flipped byte in deflated data is caught, naming the entry", async () => {
    const zip = await sample();
    flipByte(zip, 30 + "README.md".length + 20 + 30 + "tasks/documents.jsonl".length + 5, 0xff);
    expect(await failure(zip)).toMatch(
      /Entry tasks\/documents\.jsonl (is corrupt|failed its CRC-32 check|has)/,
    );
  });

  test("bytes after the end record are reported", async () => {
    const zip = concatBytes([await sample(), text("junk")]);
    expect(await failure(zip)).toMatch(/unexpected bytes after its end record/);
  });
});
