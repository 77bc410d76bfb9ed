/**
 * The project's own convex/ folder on the local backend: @convex-dev/auth Password sign-up
 * issues a JWT that the backend verifies, and the signed-in client sees its role.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { generateAuthKeys } from "./authKeys.ts";
import { HERE, actionRef, queryRef, spawnBackend, waitFor, type RunningBackend } from "./testSupport.ts";

const PROJECT_CONVEX = join(HERE, "..", "..", "convex");
const hasProjectAuth =
  existsSync(join(PROJECT_CONVEX, "auth.ts")) && existsSync(join(PROJECT_CONVEX, "_generated"));

const signIn = actionRef("auth:signIn");
const me = queryRef("users/users:me");

let backend: RunningBackend;

describe.skipIf(!hasProjectAuth)("project convex/ on the local backend", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    const keys = await generateAuthKeys();
    backend = await spawnBackend({
      convexDir: PROJECT_CONVEX,
      crons: false,
      env: { JWKS: keys.JWKS, JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY, SITE_URL: "http://127.0.0.1:5173" },
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it("serves GET /api/health on the site URL", async () => {
    const res = await fetch(`${backend.siteUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("signs up the first account with @convex-dev/auth and authenticates a ConvexClient with its JWT", async () => {
    const http = new ConvexHttpClient(backend.url);
    const result = (await http.action(signIn, {
      provider: "password",
      params: { email: "first@example.com", password: "Correct-Horse-Battery-9!", flow: "signUp" },
    })) as { tokens?: { token: string; refreshToken: string } | null };
    expect(result.tokens?.token).toBeTruthy();
    const client = new ConvexClient(backend.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      skipConvexDeploymentUrlCheck: true,
      logger: false,
    });
    try {
      let value: { email?: string; role?: string } | undefined;
      let error: unknown;
      client.onUpdate(
        me,
        {},
        (v: unknown) => (value = v as typeof value),
        (e: unknown) => (error = e),
      );
      client.setAuth(async () => result.tokens!.token);
      await waitFor(
        () => value?.email === "first@example.com",
        10_000,
        `me() (last error: ${String(error)})`,
      );
      expect(value?.role).toBe("admin");
    } finally {
      await client.close();
    }
  });
});
