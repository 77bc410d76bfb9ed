import { describe, expect, test } from "vitest";
import { readLines } from "./lines";

const encoder = new TextEncoder();

async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function linesOf(bytes: Uint8Array, size: number) {
  let boms = 0;
  const lines = [];
  for await (const line of readLines(inPieces(bytes, size), () => boms++)) lines.push(line);
  return { boms, lines };
}

describe("a byte-order mark at the start of a stream", () => {
  test("is dropped and reported once however the first pieces are cut", async () => {
    const bytes = encoder.encode('\uFEFF{"a":1}\n{"b":2}\n');
    const whole = await linesOf(bytes, bytes.length);
    expect(whole.boms).toBe(1);
    expect(whole.lines.map((line) => line.text)).toEqual(['{"a":1}', '{"b":2}']);
    for (const size of [1, 2]) expect(await linesOf(bytes, size)).toEqual(whole);
  });

  test("the first bytes of one, with nothing after, are the line's (not valid UTF-8)", async () => {
    const bytes = Uint8Array.from([0xef, 0xbb]);
    const whole = await linesOf(bytes, 2);
    expect(whole).toMatchObject({ boms: 0, lines: [{ number: 1, invalidUtf8: true }] });
    expect(await linesOf(bytes, 1)).toEqual(whole);
  });
});
