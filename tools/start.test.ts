/**
 * `npm start` connects the console to its own local backend: the backend it starts (same
 * arguments, free ports, a temporary env file) creates the admin key beside the auth keys an
 * older env file already has, and the console's deployment client, with no Settings step, finds
 * this backend and has its key accepted.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { generateAuthKeys } from "./local-backend/authKeys.ts";
import { parseEnvFile } from "./local-backend/localEnv.ts";
import {
  actionRef,
  mutationRef,
  queryRef,
  spawnBackend,
  tempDir,
  waitFor,
  type RunningBackend,
} from "./local-backend/testSupport.ts";
import { demoTrafficArgs, ensureWebhookSecret, localBackendArgs, parseStartArgs } from "./startPlan.mjs";

const ROOT = join(import.meta.dirname, "..");
const signIn = actionRef("auth:signIn");
const connectionStatus = queryRef("deployment/connection:status");
const testConnection = mutationRef("deployment/connection:testConnection");

type Status = {
  source: string;
  url: string;
  maskedKey: string;
  isConsoleItself: boolean;
  test: { state: string; sentence: string } | null;
} | null;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts the backend exactly as `npm start` does, on free ports, in `localDir`. */
async function startLikeNpmStart(localDir: string, env: Record<string, string> = {}) {
  ensureWebhookSecret(join(localDir, "backend.env"));
  const backend = await spawnBackend({
    args: localBackendArgs({
      root: ROOT,
      localDir,
      host: "127.0.0.1",
      port: 0,
      sitePort: 0,
      appUrl: "http://127.0.0.1:5173",
      reset: false,
    }),
    env,
    timeoutMs: 60_000,
  });
  cleanups.push(() => backend.stop());
  return backend;
}

async function signUpFirstAdmin(backend: RunningBackend) {
  const client = new ConvexHttpClient(backend.url);
  const result = (await client.action(signIn, {
    provider: "password",
    params: { email: "first@example.com", password: "Correct-Horse-Battery-9!", flow: "signUp" },
  })) as { tokens?: { token: string } | null };
  client.setAuth(result.tokens!.token);
  return client;
}

describe("npm start", { timeout: 120_000 }, () => {
  it("connects the console to its local backend with the admin key it adds to an existing env file", async () => {
    const dir = tempDir("npm-start-");
    cleanups.push(() => dir.remove());
    const envFile = join(dir.path, "backend.env");
    // An env file from before the admin key existed: its keys must survive untouched.
    const keys = await generateAuthKeys();
    writeFileSync(
      envFile,
      `JWT_PRIVATE_KEY="${keys.JWT_PRIVATE_KEY}"\nJWKS='${keys.JWKS}'\nLOG_STREAM_WEBHOOK_SECRET="0123456789abcdef0123456789abcdef"\n`,
    );
    const backend = await startLikeNpmStart(dir.path);

    const env = parseEnvFile(readFileSync(envFile, "utf8"));
    expect(env.JWT_PRIVATE_KEY).toBe(keys.JWT_PRIVATE_KEY);
    expect(env.JWKS).toBe(keys.JWKS);
    expect(env.LOG_STREAM_WEBHOOK_SECRET).toBe("0123456789abcdef0123456789abcdef");
    const adminKey = env.CONVEX_SELF_HOSTED_ADMIN_KEY!;
    expect(adminKey).toMatch(/^local\|[0-9a-f]{64}$/);
    expect(backend.output()).not.toContain(adminKey);

    const console = await signUpFirstAdmin(backend);
    const status = (await console.query(connectionStatus, {})) as Status;
    expect(status).toMatchObject({
      source: "environment",
      url: backend.url,
      maskedKey: `••••${adminKey.slice(-4)}`,
      isConsoleItself: true,
    });

    // The console's deployment client calls the backend's admin API with that key.
    await console.mutation(testConnection, {});
    const tested = await waitFor(
      async () => {
        const test = ((await console.query(connectionStatus, {})) as Status)?.test;
        return test && test.state !== "running" ? test : null;
      },
      20_000,
      "the connection test",
    );
    expect(tested).toMatchObject({ state: "ok" });
    expect(tested.sentence).toContain("the key is accepted");
  });

  it("pairs the admin key with the backend's own URL, whatever URL the shell exports", async () => {
    const dir = tempDir("npm-start-");
    cleanups.push(() => dir.remove());
    // A developer's shell may point the Convex CLI at another self-hosted deployment.
    const backend = await startLikeNpmStart(dir.path, {
      CONVEX_SELF_HOSTED_URL: "http://127.0.0.1:9",
    });
    const console = await signUpFirstAdmin(backend);
    const status = (await console.query(connectionStatus, {})) as Status;
    expect(status?.url).toBe(backend.url);
  });
});

describe("npm start's options", () => {
  it("keeps a light demo trickle by default, on the backend's own ports, and turns it off with --no-demo-traffic", () => {
    const plan = parseStartArgs([]);
    expect(plan).toEqual({
      reset: false,
      demoTraffic: true,
      appPort: 5173,
      backendPort: 3210,
      sitePort: 3211,
    });
    expect(parseStartArgs(["--no-demo-traffic"]).demoTraffic).toBe(false);
    const args = demoTrafficArgs({
      root: ROOT,
      siteUrl: "http://127.0.0.1:4211",
      convexUrl: "http://127.0.0.1:4210",
    });
    expect(args[0]).toBe(join(ROOT, "tools/loadgen/main.mjs"));
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag("--site-url")).toBe("http://127.0.0.1:4211");
    expect(flag("--convex-url")).toBe("http://127.0.0.1:4210");
    // A few events a second: enough to keep the stream and evidence fresh, light on a shared machine.
    expect(Number(flag("--rate")) / 60).toBeGreaterThanOrEqual(1);
    expect(Number(flag("--rate")) / 60).toBeLessThanOrEqual(5);
  });

  it("takes other ports when the defaults are busy, and says what it expected of a bad one", () => {
    expect(
      parseStartArgs(["--port", "5180", "--backend-port", "4210", "--site-port", "4211", "--reset"]),
    ).toEqual({
      reset: true,
      demoTraffic: true,
      appPort: 5180,
      backendPort: 4210,
      sitePort: 4211,
    });
    expect(() => parseStartArgs(["--port", "abc"])).toThrow("--port must be a port number from 1 to 65535");
    expect(() => parseStartArgs(["--bogus"])).toThrow("Unknown option --bogus");
  });
});
