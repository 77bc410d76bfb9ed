import { expect, test } from "vitest";
import { encodeBase64 } from "./base64";
import { crc32, Crc32 } from "./crc32";
import { sha256, Sha256 } from "./sha256";
import { randomBytes, seededRandom } from "./testBytes.helpers";

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const text = (s: string) => new TextEncoder().encode(s);

test("SHA-256 matches the FIPS 180-2 vectors", () => {
  expect(hex(sha256(text("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect(hex(sha256(text("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  expect(hex(sha256(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

test("incremental SHA-256 over random chunk boundaries equals crypto.subtle.digest", async () => {
  for (const length of [0, 1, 55, 56, 63, 64, 65, 1000, 200_003]) {
    const data = randomBytes(length);
    const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    const hash = new Sha256();
    const random = seededRandom();
    let offset = 0;
    while (offset < data.length) {
      const size = 1 + Math.floor(random() * 300);
      hash.update(data.subarray(offset, offset + size));
      offset += size;
    }
    expect(encodeBase64(hash.digest())).toBe(encodeBase64(expected));
  }
});

test("a finished SHA-256 refuses more input", () => {
  const hash = new Sha256();
  hash.digest();
  expect(() => hash.update(text("x"))).toThrow(/finished/);
});

test("CRC-32 matches the standard check value and is the same in chunks", () => {
  expect(crc32(text("123456789"))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array(0))).toBe(0);
  const data = randomBytes(10_000);
  const chunked = new Crc32().update(data.subarray(0, 3333)).update(data.subarray(3333));
  expect(chunked.value).toBe(crc32(data));
});
