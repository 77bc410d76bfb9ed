/**
 * A 100k-row CSV imported end to end through the console, as an operator's browser would drive
 * it: the console's backend (this project's convex/), connected by its admin as in Settings,
 * uploads, previews and imports into a second local backend (the fixture app, table `messages`)
 * through Convex's snapshot import API.
 * Prints name=value lines: upload_ms, preview_ms (upload finished → preview ready), import_ms
 * (confirm → completed), rows_per_s (first byte sent → rows written), rss_mb_max (the console
 * backend's peak, where the preview runs) and target_rss_mb_max.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { generateAdminKey } from "../tools/local-backend/adminKey";
import { generateAuthKeys } from "../tools/local-backend/authKeys";
import {
  actionRef,
  FIXTURE_CONVEX,
  HERE,
  mutationRef,
  queryRef,
  spawnBackend,
  type RunningBackend,
} from "../tools/local-backend/testSupport";

const ROWS = Number(process.env.ROWS ?? 100_000);
const CHUNK_BYTES = 8 * 1024 * 1024;
const PROJECT_CONVEX = join(HERE, "..", "..", "convex");

type ImportDoc = { status: { state: string; [key: string]: unknown }; preview?: { rows: number } };

function csvFile(rows: number): Uint8Array {
  let text = "author,body,rank\r\n";
  for (let index = 0; index < rows; index++)
    text += `user${index % 97},"Message ${index}, imported",${index}\r\n`;
  return new TextEncoder().encode(text);
}

function peakRssMb(backend: RunningBackend): number {
  const status = readFileSync(`/proc/${backend.child.pid}/status`, "utf8");
  return Math.round((Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024) / 1e6);
}

async function waitForState(
  client: ConvexHttpClient,
  importId: string,
  states: string[],
  timeoutMs = 600_000,
): Promise<ImportDoc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = (await client.query(queryRef("imports/imports:get"), { importId })) as ImportDoc | null;
    if (doc === null) throw new Error("the import disappeared");
    if (doc.status.state === "failed") throw new Error(`import failed: ${JSON.stringify(doc.status)}`);
    if (states.includes(doc.status.state)) return doc;
    if (Date.now() > deadline) throw new Error(`timed out in state ${doc.status.state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

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
  env: {
    JWKS: keys.JWKS,
    JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY,
    SITE_URL: "http://127.0.0.1:5173",
  },
  timeoutMs: 60_000,
});

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

  const file = csvFile(ROWS);
  const started = performance.now();
  const importId = (await client.mutation(mutationRef("imports/imports:begin"), {
    fileName: "messages.csv",
    sizeBytes: file.length,
    targetTable: "messages",
  })) as string;
  for (let index = 0, offset = 0; offset < file.length; index++, offset += CHUNK_BYTES) {
    const url = (await client.mutation(mutationRef("imports/imports:uploadUrl"), { importId })) as string;
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: file.slice(offset, offset + CHUNK_BYTES),
    });
    const { storageId } = (await response.json()) as { storageId: string };
    await client.mutation(mutationRef("imports/imports:addPart"), { importId, index, storageId });
  }
  await client.mutation(mutationRef("imports/imports:finishUpload"), { importId });
  const uploaded = performance.now();
  const ready = await waitForState(client, importId, ["ready"]);
  const previewed = performance.now();
  if (ready.preview?.rows !== ROWS) throw new Error(`preview counted ${ready.preview?.rows} rows`);

  await client.mutation(mutationRef("imports/imports:submit"), { importId, mode: "append" });
  await waitForState(client, importId, ["waiting_for_confirmation"]);
  const confirmedAt = performance.now();
  await client.mutation(mutationRef("imports/imports:confirm"), { importId });
  const done = await waitForState(client, importId, ["completed"]);
  const finished = performance.now();
  if (done.status.rowsWritten !== ROWS) throw new Error(`wrote ${String(done.status.rowsWritten)} rows`);

  console.log(`rows=${ROWS}`);
  console.log(`bytes=${file.length}`);
  console.log(`upload_ms=${Math.round(uploaded - started)}`);
  console.log(`preview_ms=${Math.round(previewed - uploaded)}`);
  console.log(`send_ms=${Math.round(confirmedAt - previewed)}`);
  console.log(`import_ms=${Math.round(finished - confirmedAt)}`);
  console.log(`rows_per_s=${Math.round(ROWS / ((finished - started) / 1000))}`);
  console.log(`rss_mb_max=${peakRssMb(consoleBackend)}`);
  console.log(`target_rss_mb_max=${peakRssMb(target)}`);
} finally {
  await consoleBackend.stop();
  await target.stop();
}
