import { expect, test } from "vitest";
import { generateSecretsKey, isSealed, open, seal } from "./secretBox";

const KEY = generateSecretsKey();
const SECRET = "prod:happy-otter-123|0123456789abcdef0123456789abcdef";
const PURPOSE = "deployment-key:https://happy-otter-123.convex.cloud";

test("a sealed secret opens with the same key and purpose, and holds no trace of the plaintext", async () => {
  const sealed = await seal(SECRET, PURPOSE, KEY);
  expect(isSealed(sealed)).toBe(true);
  expect(sealed).not.toContain("0123456789abcdef");
  expect(sealed).not.toContain("happy-otter");
  expect(await open(sealed, PURPOSE, KEY)).toBe(SECRET);
  // A fresh IV each time: two seals of the same secret differ.
  expect(await seal(SECRET, PURPOSE, KEY)).not.toBe(sealed);
});

test("a ciphertext sealed for one purpose is refused for another (copied to another row or URL)", async () => {
  const sealed = await seal(SECRET, PURPOSE, KEY);
  await expect(open(sealed, "deployment-key:https://attacker.example", KEY)).rejects.toThrow(
    /does not decrypt/,
  );
  await expect(open(sealed, "log-stream-webhook-secret", KEY)).rejects.toThrow(/does not decrypt/);
});

test("a tampered ciphertext or IV is refused", async () => {
  const sealed = await seal(SECRET, PURPOSE, KEY);
  const [prefix, iv, data] = sealed.split(".") as [string, string, string];
  const flip = (text: string, at: number) =>
    text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
  await expect(open(`${prefix}.${iv}.${flip(data, 5)}`, PURPOSE, KEY)).rejects.toThrow(/does not decrypt/);
  await expect(open(`${prefix}.${flip(iv, 2)}.${data}`, PURPOSE, KEY)).rejects.toThrow(/does not decrypt/);
  await expect(open(`${prefix}.${iv}`, PURPOSE, KEY)).rejects.toThrow(/well-formed/);
});

test("another key cannot open it, and a plaintext value or a malformed key is refused", async () => {
  const sealed = await seal(SECRET, PURPOSE, KEY);
  await expect(open(sealed, PURPOSE, generateSecretsKey())).rejects.toThrow(/does not decrypt/);
  await expect(open(SECRET, PURPOSE, KEY)).rejects.toThrow(/not encrypted/);
  await expect(seal(SECRET, PURPOSE, "c2hvcnQ=")).rejects.toThrow(/32 bytes/);
  await expect(seal(SECRET, PURPOSE, "not base64!")).rejects.toThrow(/not base64/);
});
