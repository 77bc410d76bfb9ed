// What `npm start` runs, kept apart from tools/start.mjs so a test can start the very same local
// backend on free ports with a temporary env file.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Adds the log stream webhook's secret, as Convex would generate it (32 hex characters), when the
 * env file has none: `npm run loadgen` signs with it, and Settings shows it masked.
 */
export function ensureWebhookSecret(envFile) {
  if (existsSync(envFile) && /^LOG_STREAM_WEBHOOK_SECRET=/m.test(readFileSync(envFile, "utf8"))) return;
  appendFileSync(envFile, `LOG_STREAM_WEBHOOK_SECRET="${randomBytes(16).toString("hex")}"\n`, {
    mode: 0o600,
  });
}

/**
 * The local backend's arguments. `--init-env` creates what is missing in the env file (auth keys,
 * URLs and the admin key `CONVEX_SELF_HOSTED_ADMIN_KEY`); the backend then gives its functions
 * `CONVEX_SELF_HOSTED_URL` (its own URL) with that key, so the console's deployment client is
 * connected to this backend without a Settings step.
 */
export function localBackendArgs({ root, localDir, host, port, sitePort, appUrl, reset }) {
  return [
    join(root, "tools/local-backend/main.mjs"),
    "--convex-dir",
    join(root, "convex"),
    "--port",
    String(port),
    "--site-port",
    String(sitePort),
    "--host",
    host,
    "--data-dir",
    join(localDir, "local-backend"),
    "--dotenv",
    join(localDir, "backend.env"),
    "--init-env",
    "--app-url",
    appUrl,
    "--seed",
    "metrics/demo:seedHistory",
    ...(reset ? ["--reset"] : []),
  ];
}
