import { describe, expect, test } from "vitest";
import { hashToken, newToken } from "./hashedTokens";

describe("tokens stored as their hash", () => {
  test("256 random bits in the link's encoding, never the same twice", () => {
    const hex = newToken("hex");
    const base64url = newToken("base64url");
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    expect(base64url).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken("hex")).not.toBe(hex);
  });

  test("the stored hash is the token's SHA-256 in hex, as Web Crypto computes it", async () => {
    const token = newToken("base64url");
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
    const expected = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(
      "",
    );
    expect(hashToken(token)).toBe(expected);
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
