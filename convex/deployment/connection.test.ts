import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../_generated/api";
import { seal } from "../lib/secretBox";
import { backendWithTeam, type Backend, type Team } from "../test.helpers";

const URL_A = "https://happy-otter-123.convex.cloud";
const URL_B = "https://attacker-host-999.convex.cloud";
const KEY_A = "prod:happy-otter-123|0123456789abcdef0123456789abcdef";

let t: Backend;
let team: Team;
/** Every request the backend sent: where to, and the Authorization header it carried. */
let sent: { url: string; authorization: string | null }[];

beforeEach(async () => {
  ({ t, team } = await backendWithTeam());
  sent = [];
  vi.stubGlobal("fetch", (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), authorization: new Headers(init?.headers).get("Authorization") });
    return new Response(JSON.stringify({ status: "success", value: null }), {
      headers: { "Content-Type": "application/json" },
    });
  }) as typeof fetch);
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function testConnection() {
  await team.admin.client.mutation(api.deployment.connection.testConnection, {});
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  return (await team.admin.client.query(api.deployment.connection.status, {}))!;
}

const keySentTo = (host: string) =>
  sent.filter(
    (request) => request.url.startsWith(host) && request.authorization?.includes("0123456789abcdef"),
  );

describe("the deploy key at rest", () => {
  test("is stored encrypted: no table holds it, and Test connection still sends it to its deployment", async () => {
    await team.admin.client.mutation(api.deployment.connection.setConnection, {
      url: URL_A,
      deployKey: KEY_A,
    });
    const tables = await t.run(async (ctx) => ({
      keys: await ctx.db.query("deploymentKeys").collect(),
      connection: await ctx.db.query("deploymentConnection").collect(),
      audit: await ctx.db.query("audit").collect(),
    }));
    expect(JSON.stringify(tables)).not.toContain("0123456789abcdef");
    expect(tables.keys[0]).toMatchObject({ key: expect.stringMatching(/^v1\./), masked: "••••cdef" });
    const status = await testConnection();
    expect(status).toMatchObject({ maskedKey: "••••cdef", keyProblem: null });
    expect(status.test).toMatchObject({ state: "ok" });
    expect(keySentTo(URL_A)).not.toHaveLength(0);
    expect(sent.every((request) => request.authorization === `Convex ${KEY_A}`)).toBe(true);
  });

  test("without CONSOLE_SECRETS_KEY a key is refused with a sentence, never stored in plain text", async () => {
    const key = process.env.CONSOLE_SECRETS_KEY;
    delete process.env.CONSOLE_SECRETS_KEY;
    try {
      await expect(
        team.admin.client.mutation(api.deployment.connection.setConnection, { url: URL_A, deployKey: KEY_A }),
      ).rejects.toThrow(/CONSOLE_SECRETS_KEY is not set.*npx convex env set/);
    } finally {
      process.env.CONSOLE_SECRETS_KEY = key;
    }
    expect(await t.run(async (ctx) => await ctx.db.query("deploymentKeys").collect())).toEqual([]);
  });

  test("a plaintext key stored before encryption is not used: the page and the test say to paste it again", async () => {
    await t.run(async (ctx) => {
      await ctx.db.insert("deploymentConnection", { url: URL_A, updatedAt: 0, updatedBy: "old" });
      await ctx.db.insert("deploymentKeys", { key: KEY_A, setAt: 0, setBy: "old" });
    });
    const status = await testConnection();
    expect(status.keyProblem).toMatch(/saved before secrets were encrypted.*paste it again/);
    expect(status.test).toMatchObject({ state: "failed", sentence: expect.stringMatching(/enter it again/) });
    expect(sent).toEqual([]);
  });
});

describe("a changed URL needs its key again", () => {
  test("an admin who changes only the URL is refused, and Test connection still goes to the old deployment only", async () => {
    await team.admin.client.mutation(api.deployment.connection.setConnection, {
      url: URL_A,
      deployKey: KEY_A,
    });
    await expect(
      team.admin.client.mutation(api.deployment.connection.setConnection, { url: URL_B }),
    ).rejects.toThrow(/new deployment URL needs its deploy key in the same step/);
    const status = await testConnection();
    expect(status.url).toBe(URL_A);
    expect(sent.some((request) => request.url.startsWith(URL_B))).toBe(false);
    // Same URL, no key: allowed (nothing is sent anywhere new).
    await team.admin.client.mutation(api.deployment.connection.setConnection, { url: `${URL_A}/` });
  });

  test("a URL rewritten behind the console's back (as an import of its own tables would) gets no key", async () => {
    await team.admin.client.mutation(api.deployment.connection.setConnection, {
      url: URL_A,
      deployKey: KEY_A,
    });
    await t.run(async (ctx) => {
      const row = (await ctx.db.query("deploymentConnection").first())!;
      await ctx.db.patch("deploymentConnection", row._id, { url: URL_B });
    });
    const status = await testConnection();
    expect(status.test).toMatchObject({
      state: "failed",
      sentence: expect.stringMatching(/cannot be decrypted.*enter it again/),
    });
    expect(sent).toEqual([]);
  });

  test("a ciphertext sealed for another URL, copied into the key row, is not sent to that URL either", async () => {
    await team.admin.client.mutation(api.deployment.connection.setConnection, {
      url: URL_A,
      deployKey: KEY_A,
    });
    await t.run(async (ctx) => {
      const row = (await ctx.db.query("deploymentKeys").first())!;
      const forB = await seal(KEY_A, "log-stream-webhook-secret", process.env.CONSOLE_SECRETS_KEY!);
      await ctx.db.patch("deploymentKeys", row._id, { key: forB });
    });
    expect((await testConnection()).test).toMatchObject({ state: "failed" });
    expect(sent).toEqual([]);
  });
});
