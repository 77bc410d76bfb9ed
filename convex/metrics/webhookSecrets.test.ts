import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { seal } from "../lib/secretBox";
import { newBackend, signUp, type Backend } from "../test.helpers";
import { signBody } from "./model/logStream";

const SECRET = "0123456789abcdef0123456789abcdef";

async function postSignedWith(t: Backend, secret: string) {
  const body = JSON.stringify([]);
  const signature = await signBody(secret, new TextEncoder().encode(body));
  const response = await t.fetch("/log-stream", {
    method: "POST",
    headers: { "content-type": "application/json", "x-webhook-signature": signature },
    body,
  });
  return response.status;
}

async function adminOf() {
  const t = await newBackend();
  return { t, admin: await signUp(t, "admin@example.com") };
}

describe("the webhook secret at rest", () => {
  test("is stored encrypted, still verifies batches, and is shown masked", async () => {
    const { t, admin } = await adminOf();
    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
    const rows = await t.run(async (ctx) => await ctx.db.query("logStreamSecrets").collect());
    expect(JSON.stringify(rows)).not.toContain("0123456789abcdef");
    expect(rows[0]).toMatchObject({ current: expect.stringMatching(/^v1\./), currentMasked: "••••cdef" });
    expect(await postSignedWith(t, SECRET)).toBe(200);
    const status = await admin.client.query(api.metrics.webhookSecrets.status, {});
    expect(status).toMatchObject({ problem: null, secret: { masked: "••••cdef" } });
    expect(status.accepted).toEqual([{ which: "current", masked: "••••cdef", until: null }]);
  });

  test("without CONSOLE_SECRETS_KEY setting a secret is refused with a sentence and nothing is stored", async () => {
    const { t, admin } = await adminOf();
    const key = process.env.CONSOLE_SECRETS_KEY;
    delete process.env.CONSOLE_SECRETS_KEY;
    try {
      await expect(
        admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET }),
      ).rejects.toThrow(/CONSOLE_SECRETS_KEY is not set/);
    } finally {
      process.env.CONSOLE_SECRETS_KEY = key;
    }
    expect(await t.run(async (ctx) => await ctx.db.query("logStreamSecrets").collect())).toEqual([]);
  });

  test("a plaintext secret from before encryption verifies nothing until an admin pastes it again", async () => {
    const { t, admin } = await adminOf();
    await t.run(async (ctx) => {
      await ctx.db.insert("logStreamSecrets", {
        current: SECRET,
        previous: null,
        previousValidUntil: null,
        rotatedAt: 0,
        rotatedBy: "old",
      });
    });
    expect(await postSignedWith(t, SECRET)).toBe(503);
    expect((await admin.client.query(api.metrics.webhookSecrets.status, {})).problem).toMatch(
      /saved before secrets were encrypted.*paste it again/,
    );
    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
    expect(await postSignedWith(t, SECRET)).toBe(200);
    const rows = await t.run(async (ctx) => await ctx.db.query("logStreamSecrets").collect());
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });

  test("a ciphertext sealed for another purpose, copied into the secrets row, does not verify", async () => {
    const { t, admin } = await adminOf();
    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
    const forged = "attacker0123456789abcdef01234567";
    await t.run(async (ctx) => {
      const row = (await ctx.db.query("logStreamSecrets").first())!;
      const sealed = await seal(
        forged,
        "deployment-key:https://x.convex.cloud",
        process.env.CONSOLE_SECRETS_KEY!,
      );
      await ctx.db.patch("logStreamSecrets", row._id, { current: sealed });
    });
    expect(await postSignedWith(t, forged)).toBe(503);
  });
});
