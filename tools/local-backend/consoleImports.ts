/**
 * Drives the console's imports on real local backends, as an operator's browser does, for tests and
 * benchmarks: the console's backend (this project's convex/) connected by its admin to a second
 * backend (the fixture app); files uploaded through the console's chunk upload URLs.
 */
import { join } from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { generateAdminKey } from "./adminKey.ts";
import { generateAuthKeys } from "./authKeys.ts";
import {
  actionRef,
  FIXTURE_CONVEX,
  HERE,
  mutationRef,
  queryRef,
  spawnBackend,
  type RunningBackend,
} from "./testSupport.ts";

const PROJECT_CONVEX = join(HERE, "..", "..", "convex");
/** What the console's upload takes per request (`UPLOAD_CHUNK_BYTES`). */
const CHUNK_BYTES = 8 * 1024 * 1024;

export type ImportDoc = {
  status: { state: string; [key: string]: unknown };
  preview?: { rows: number; rejected: string | null };
};

export interface ConsoleWithTarget {
  console: RunningBackend;
  target: RunningBackend;
  /** Signed in as the console's admin, connected to `target`. */
  client: ConvexHttpClient;
  stop(): Promise<void>;
}

export async function startConsoleWithTarget(): Promise<ConsoleWithTarget> {
  const adminKey = generateAdminKey();
  const keys = await generateAuthKeys();
  const target = await spawnBackend({
    convexDir: FIXTURE_CONVEX,
    crons: false,
    env: { CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey },
    timeoutMs: 60_000,
  });
  const consoleBackend = await spawnBackend({
    convexDir: PROJECT_CONVEX,
    crons: false,
    env: { JWKS: keys.JWKS, JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY, SITE_URL: "http://127.0.0.1:5173" },
    timeoutMs: 60_000,
  });
  const stop = async () => {
    await consoleBackend.stop();
    await target.stop();
  };
  try {
    const client = new ConvexHttpClient(consoleBackend.url, { logger: false });
    const signedIn = (await client.action(actionRef("auth:signIn"), {
      provider: "password",
      params: { email: "bench@example.com", password: "Correct-Horse-Battery-9!", flow: "signUp" },
    })) as { tokens?: { token: string } | null };
    if (!signedIn.tokens) throw new Error("sign-up returned no token");
    client.setAuth(signedIn.tokens.token);
    // The first account is the admin, who connects the console to the target as in Settings.
    await client.mutation(mutationRef("deployment/connection:setConnection"), {
      url: target.url,
      deployKey: adminKey,
    });
    return { console: consoleBackend, target, client, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Uploads `file` as a new import; returns its id. `finishUpload` then starts the preview. */
export async function uploadImport(
  client: ConvexHttpClient,
  fileName: string,
  file: Uint8Array,
  targetTable?: string,
): Promise<string> {
  const importId = (await client.mutation(mutationRef("imports/imports:begin"), {
    fileName,
    sizeBytes: file.length,
    ...(targetTable === undefined ? {} : { targetTable }),
  })) as string;
  for (let offset = 0; offset < file.length; offset += CHUNK_BYTES) {
    const url = (await client.mutation(mutationRef("imports/imports:uploadUrl"), { importId })) as string;
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: file.slice(offset, offset + CHUNK_BYTES),
    });
    if (!response.ok) throw new Error(`chunk refused (${response.status}): ${await response.text()}`);
  }
  return importId;
}

export async function finishUpload(client: ConvexHttpClient, importId: string): Promise<void> {
  await client.mutation(mutationRef("imports/imports:finishUpload"), { importId });
}

/** Polls the import until it reaches one of `states`; a failure other than an awaited one throws. */
export async function waitForImport(
  client: ConvexHttpClient,
  importId: string,
  states: string[],
  timeoutMs = 600_000,
): Promise<ImportDoc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = (await client.query(queryRef("imports/imports:get"), { importId })) as ImportDoc | null;
    if (doc === null) throw new Error("the import disappeared");
    if (states.includes(doc.status.state)) return doc;
    if (doc.status.state === "failed") throw new Error(`import failed: ${JSON.stringify(doc.status)}`);
    if (Date.now() > deadline) throw new Error(`timed out in state ${doc.status.state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Asks the backend's `/version` every `everyMs` until stopped; each answer's time is kept (a
 * request that got no answer within 30 s counts as 30 s). `stop` returns the times in ms.
 */
export function pollHealth(backend: RunningBackend, everyMs = 50): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await (await fetch(`${backend.url}/version`, { signal: AbortSignal.timeout(30_000) })).text();
      } catch {
        // Counted by its time, which is what a health check would see.
      }
      times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return times;
    },
  };
}
