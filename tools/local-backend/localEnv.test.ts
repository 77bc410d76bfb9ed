import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from "jose";
import { ensureLocalEnv, parseEnvFile } from "./localEnv.ts";
import { tempDir } from "./testSupport.ts";

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe("local env file", () => {
  it("parses dotenv syntax", () => {
    expect(
      parseEnvFile('# c\nA=1\nexport B="x\\ny"\nC=\'{"k":"v"}\'\nD=plain value # note\nE="multi\nline"\n'),
    ).toEqual({ A: "1", B: "x\ny", C: '{"k":"v"}', D: "plain value", E: "multi\nline" });
  });

  it("creates missing auth keys and URLs, keeps existing values, and the keys work", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, ".env.local");
    writeFileSync(file, "SITE_URL=http://app.test\n");
    const first = await ensureLocalEnv(file, {
      siteUrl: "http://ignored",
      convexSiteUrl: "http://127.0.0.1:3211",
    });
    expect(first.added.sort()).toEqual([
      "CONSOLE_SECRETS_KEY",
      "CONVEX_SELF_HOSTED_ADMIN_KEY",
      "CONVEX_SITE_URL",
      "JWKS",
      "JWT_PRIVATE_KEY",
    ]);
    const env = parseEnvFile(readFileSync(file, "utf8"));
    // A self-hosted admin key, as the Convex CLI reads it from CONVEX_SELF_HOSTED_ADMIN_KEY.
    expect(env.CONVEX_SELF_HOSTED_ADMIN_KEY).toMatch(/^local\|[0-9a-f]{64}$/);
    // The key stored secrets are encrypted with: 32 random bytes, base64.
    expect(Buffer.from(env.CONSOLE_SECRETS_KEY!, "base64")).toHaveLength(32);
    expect(env.SITE_URL).toBe("http://app.test");
    expect(env.CONVEX_SITE_URL).toBe("http://127.0.0.1:3211");
    // The stored key (PEM with spaces, as @convex-dev/auth stores it) signs tokens the JWKS verifies.
    const pem = env.JWT_PRIVATE_KEY!.replace(/ (?!(PRIVATE KEY|KEY)-----)/g, "\n");
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256" })
      .setSubject("s")
      .sign(await importPKCS8(pem, "RS256"));
    await expect(jwtVerify(token, createLocalJWKSet(JSON.parse(env.JWKS!)))).resolves.toBeTruthy();
    const second = await ensureLocalEnv(file, { siteUrl: "x", convexSiteUrl: "y" });
    expect(second.added).toEqual([]);
    expect(parseEnvFile(readFileSync(file, "utf8"))).toEqual(env);
  });
});
