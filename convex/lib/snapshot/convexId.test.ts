import { expect, test } from "vitest";
import { decodeConvexId, encodeConvexId } from "./convexId";

function stabilityInternalId(): Uint8Array {
  const id = new Uint8Array(16);
  id[0] = 251;
  for (let i = 1; i < 16; i++) id[i] = (id[i - 1]! * 251) & 255;
  return id;
}

test("encodes Convex's own stability vector (table 1017)", () => {
  expect(encodeConvexId(1017, stabilityInternalId())).toBe("z43zp6c3e75gkmz1kfwj6mbbx5sw281h");
});

test("decodes a real id to its table number, and round-trips any table number", () => {
  expect(decodeConvexId("z43zp6c3e75gkmz1kfwj6mbbx5sw281h")).toEqual({
    tableNumber: 1017,
    internalId: stabilityInternalId(),
  });
  expect(decodeConvexId("kg27rxfv99gzp01wmph0gvt92d6hnvy6")).not.toBeNull();
  for (const table of [1, 127, 128, 10_001, 2 ** 21, 2 ** 32 - 1]) {
    const internalId = crypto.getRandomValues(new Uint8Array(16));
    expect(decodeConvexId(encodeConvexId(table, internalId))).toEqual({ tableNumber: table, internalId });
  }
});

test("rejects strings that are not canonical ids", () => {
  const id = "z43zp6c3e75gkmz1kfwj6mbbx5sw281h";
  expect(decodeConvexId(id.slice(0, -1))).toBeNull();
  expect(decodeConvexId(id.slice(0, -1) + (id.endsWith("h") ? "j" : "h"))).toBeNull();
  expect(decodeConvexId(id.toUpperCase())).toBeNull();
  expect(decodeConvexId("0000000000000000000000000000000000000tasks")).toBeNull();
  expect(decodeConvexId("sssswsgggggggggsgcsssfafffsffks")).toBeNull();
  expect(decodeConvexId("")).toBeNull();
});

test("only the canonical spelling decodes: an extra character, nonzero padding bits or a padded varint do not", () => {
  const internalId = new Uint8Array(16).fill(7);
  const id = encodeConvexId(5, internalId);
  expect(decodeConvexId(`${id}0`)).toBeNull();
  const lastValue = "0123456789abcdefghjkmnpqrstvwxyz".indexOf(id.at(-1)!);
  // 19 bytes are 152 bits, 31 characters 155: the last character carries three padding bits.
  expect(id).toHaveLength(31);
  expect(decodeConvexId(id.slice(0, -1) + "0123456789abcdefghjkmnpqrstvwxyz"[lastValue ^ 1])).toBeNull();
  // Table 5 as the two-byte varint 0x85 0x00 (not minimal), with a valid footer.
  const bytes = [0x85, 0x00, ...internalId];
  let c0 = 0;
  let c1 = 0;
  for (const byte of bytes) {
    c0 = (c0 + byte) & 255;
    c1 = (c1 + c0) & 255;
  }
  bytes.push(c0, c1);
  let text = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      text += "0123456789abcdefghjkmnpqrstvwxyz"[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += "0123456789abcdefghjkmnpqrstvwxyz"[(buffer << (5 - bits)) & 31];
  expect(decodeConvexId(text)).toBeNull();
  expect(decodeConvexId(encodeConvexId(5, internalId))).toEqual({ tableNumber: 5, internalId });
});
