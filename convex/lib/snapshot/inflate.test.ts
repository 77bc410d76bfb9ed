import { deflateSync } from "fflate";
import { expect, test } from "vitest";
import { RawInflater } from "./inflate";
import { concatBytes as concat, randomBytes, sameBytes, seededRandom } from "./testBytes.helpers";

function sampleText(rows: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `{"_creationTime":${1715973841548 + i}.0,"_id":"id${i.toString(36)}","text":"task ${i * 7919}"}`,
    );
  }
  return new TextEncoder().encode(lines.join("\n"));
}

/** Feeds `data` in random-sized chunks (1..maxChunk bytes). */
function inflateInChunks(data: Uint8Array, maxChunk: number) {
  const inflater = new RawInflater();
  const out: Uint8Array[] = [];
  const random = seededRandom();
  let offset = 0;
  while (offset < data.length && !inflater.done) {
    const size = 1 + Math.floor(random() * maxChunk);
    out.push(...inflater.push(data.subarray(offset, offset + size)));
    offset += size;
  }
  if (!inflater.done) out.push(...inflater.end());
  return { output: concat(out), inflater, consumedUpTo: offset };
}

test.each([0, 1, 6, 9])(
  "inflates fflate's level %i output exactly, across random chunk boundaries",
  (level) => {
    for (const data of [new Uint8Array(0), sampleText(5000), randomBytes(150_000), new Uint8Array(300_000)]) {
      const compressed = deflateSync(data, { level: level as 0 | 1 | 6 | 9 });
      for (const maxChunk of [1, 7, 4096, compressed.length + 1]) {
        if (maxChunk === 1 && data.length > 10_000) continue;
        const { output, inflater } = inflateInChunks(compressed, maxChunk);
        expect(inflater.done).toBe(true);
        expect(sameBytes(output, data)).toBe(true);
        expect(inflater.totalOut).toBe(data.length);
      }
    }
  },
);

test("reports the bytes that follow the end of the stream, wherever the chunk boundary falls", () => {
  const data = sampleText(2000);
  const trailer = new Uint8Array([0x50, 0x4b, 0x07, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const compressed = deflateSync(data, { level: 6 });
  const stream = concat([compressed, trailer, new Uint8Array([99, 98])]);
  const random = seededRandom();
  for (const maxChunk of [3, 100, 5000, stream.length]) {
    const inflater = new RawInflater();
    const out: Uint8Array[] = [];
    let offset = 0;
    while (!inflater.done) {
      const size = 1 + Math.floor(random() * maxChunk);
      out.push(...inflater.push(stream.subarray(offset, offset + size)));
      offset = Math.min(offset + size, stream.length);
    }
    expect(sameBytes(concat(out), data)).toBe(true);
    const remainder = concat([inflater.remainder(), stream.subarray(offset)]);
    expect(remainder).toEqual(stream.subarray(compressed.length));
  }
});

test("a truncated stream fails when the input ends", () => {
  const compressed = deflateSync(sampleText(3000), { level: 6 });
  const inflater = new RawInflater();
  inflater.push(compressed.subarray(0, compressed.length - 10));
  expect(() => inflater.end()).toThrow(/ends/);
});

test("garbage is refused with a reason, not an endless loop", () => {
  const inflater = new RawInflater();
  expect(() => {
    inflater.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    inflater.end();
  }).toThrow(/invalid|ends/);
});
