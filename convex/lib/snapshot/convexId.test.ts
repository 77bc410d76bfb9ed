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
