/**
 * Helpers for tests and benchmarks: start the local backend as a real child process
 * (`node tools/local-backend/main.mjs`) on free ports and stop it again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexClient } from "convex/browser";
import { makeFunctionReference, type FunctionReference } from "convex/server";
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import WebSocket from "ws";
import { importPKCS8, SignJWT } from "jose";
import { generateAuthKeys } from "./authKeys.ts";
import { Engine } from "./convexTestAdapter.ts";
import { collectModules, loadOptional } from "./modules.ts";
import { generateSecretsKey } from "./localEnv.ts";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const MAIN = join(HERE, "main.mjs");
export const FIXTURE_CONVEX = join(HERE, "fixtures", "convex");

export interface RunningBackend {
  url: string;
  siteUrl: string;
  port: number;
  sitePort: number;
  startupMs: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit (the backend flushes its store). */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  convexDir?: string;
  dataDir?: string | null;
  port?: number;
  sitePort?: number;
  reset?: boolean;
  crons?: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** The whole command line after `node` (e.g. what `npm start` runs); the options above are then unused. */
  args?: string[];
}

export async function spawnBackend(options: SpawnOptions = {}): Promise<RunningBackend> {
  const args = options.args ?? [
    MAIN,
    "--convex-dir",
    options.convexDir ?? FIXTURE_CONVEX,
    "--port",
    String(options.port ?? 0),
    "--site-port",
    String(options.sitePort ?? 0),
  ];
  if (!options.args) {
    if (options.dataDir) args.push("--data-dir", options.dataDir);
    else args.push("--in-memory");
    if (options.reset) args.push("--reset");
    if (options.crons === false) args.push("--no-crons");
  }
  const child = spawn(process.execPath, args, {
    cwd: join(HERE, "..", ".."),
    // A console backend refuses to store secrets without CONSOLE_SECRETS_KEY; each test backend gets its own.
    env: { CONSOLE_SECRETS_KEY: generateSecretsKey(), ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`local backend did not start:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const check = () => {
      const match = /local-backend ready url=(\S+) site=(\S+) startup_ms=(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`local backend exited early:\n${output}`));
    });
  });
  const url = ready[1]!;
  const siteUrl = ready[2]!;
  return {
    url,
    siteUrl,
    port: Number(new URL(url).port),
    sitePort: Number(new URL(siteUrl).port),
    startupMs: Number(ready[3]),
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return await exited;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * A public query or mutation over Convex's HTTP API (`POST /api/query` or `/api/mutation`, the
 * body ConvexHttpClient sends); `headers` may carry an admin key. Throws the error Convex answers.
 */
export async function callOverHttp(
  url: string,
  kind: "query" | "mutation",
  path: string,
  args: Record<string, Value> = {},
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Value> {
  const response = await fetch(`${url}/api/${kind}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...init.headers },
    body: JSON.stringify({ path, args: [convexToJson(args)], format: "convex_encoded_json" }),
    signal: init.signal,
  });
  const body = (await response.json()) as { status: string; value?: unknown; errorMessage?: string };
  if (body.status !== "success") throw new Error(body.errorMessage ?? JSON.stringify(body));
  return jsonToConvex(body.value as never);
}

/** The site a backend spawned with `withAuth` issues and accepts session tokens for. */
export const AUTH_SITE = "https://site.local.test";

/**
 * Fresh auth keys and the environment that makes a backend verify sessions with them, as
 * `npm start` sets it up; `signSession` signs tokens that backend accepts.
 */
export async function withAuth(): Promise<{ pem: string; env: Record<string, string> }> {
  const keys = await generateAuthKeys();
  return {
    pem: keys.pem,
    env: {
      JWKS: keys.JWKS,
      JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY,
      CONVEX_SITE_URL: AUTH_SITE,
      SITE_URL: "http://localhost:5173",
    },
  };
}

/** A session token for `sub` as @convex-dev/auth signs it, valid for an hour unless `claims` say otherwise. */
export async function signSession(
  pem: string,
  { sub, exp, aud, iss }: { sub: string; exp?: number; aud?: string; iss?: string },
): Promise<string> {
  return await new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setSubject(sub)
    .setIssuer(iss ?? AUTH_SITE)
    .setAudience(aud ?? "convex")
    .setIssuedAt()
    .setExpirationTime(exp ?? Math.floor(Date.now() / 1000) + 3600)
    .sign(await importPKCS8(pem, "RS256"));
}

export function tempDir(prefix = "local-backend-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = "condition",
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** Untyped function references for tests against the fixture (it has no generated `api`). */
export type QueryRef = FunctionReference<"query", "public", Record<string, unknown>, unknown>;
export type MutationRef = FunctionReference<"mutation", "public", Record<string, unknown>, unknown>;
export type ActionRef = FunctionReference<"action", "public", Record<string, unknown>, unknown>;
export const queryRef = (name: string): QueryRef =>
  makeFunctionReference<"query", Record<string, unknown>, unknown>(name);
export const mutationRef = (name: string): MutationRef =>
  makeFunctionReference<"mutation", Record<string, unknown>, unknown>(name);
export const actionRef = (name: string): ActionRef =>
  makeFunctionReference<"action", Record<string, unknown>, unknown>(name);

/** The `data` of a ConvexError, for assertions. */
export function errorData(error: unknown): unknown {
  return (error as { data?: unknown }).data;
}

/** The engine over the fixture project (tools/local-backend/fixtures/convex), without a server. */
export async function fixtureEngine(env?: Record<string, string>): Promise<Engine> {
  const modules = collectModules(FIXTURE_CONVEX);
  const schema = (await loadOptional(modules, "schema"))!.default;
  return await Engine.create({
    schema,
    modules: modules.loaders,
    storageBaseUrl: () => "http://127.0.0.1:1",
    siteUrl: () => "http://127.0.0.1:2",
    ...(env ? { env } : {}),
  });
}

/** WebSocket clients of a backend, as the browser's `convex` client connects; `closeAll` after the tests. */
export function webSocketClients(url: () => string) {
  const clients: ConvexClient[] = [];
  return {
    client(): ConvexClient {
      const c = new ConvexClient(url(), {
        webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
        skipConvexDeploymentUrlCheck: true,
        logger: false,
      });
      clients.push(c);
      return c;
    },
    async closeAll(): Promise<void> {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

const CONVEX_CLI = join(HERE, "..", "..", "node_modules", "convex", "bin", "main.js");

/**
 * The unmodified Convex CLI from node_modules, run in `cwd` against a self-hosted backend: none of
 * this process's CONVEX_ variables leak in, so only the URL and admin key given here point it.
 */
export function runConvexCli(
  target: { url: string; adminKey: string; cwd: string },
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("CONVEX_")) env[k] = v;
  Object.assign(env, {
    CI: "1",
    CONVEX_SELF_HOSTED_URL: target.url,
    CONVEX_SELF_HOSTED_ADMIN_KEY: target.adminKey,
  });
  const child = spawn(process.execPath, [CONVEX_CLI, ...args], { cwd: target.cwd, env });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}
