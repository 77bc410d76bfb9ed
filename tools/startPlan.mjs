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

const USAGE =
  "npm start -- [--reset] [--no-demo-traffic] [--port <console, default 5173>] " +
  "[--backend-port <default 3210>] [--site-port <HTTP actions, default 3211>]";

/**
 * `npm start`'s options. The demo trickle is on by default: without traffic the log stream tile
 * and the runbook evidence turn stale five minutes after start, which reads as broken.
 */
export function parseStartArgs(argv) {
  const plan = { reset: false, demoTraffic: true, appPort: 5173, backendPort: 3210, sitePort: 3211 };
  const ports = { "--port": "appPort", "--backend-port": "backendPort", "--site-port": "sitePort" };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === "--reset") plan.reset = true;
    else if (flag === "--no-demo-traffic") plan.demoTraffic = false;
    else if (flag in ports) {
      const port = Number(argv[++index]);
      if (!(Number.isInteger(port) && port >= 1 && port <= 65535))
        throw new Error(`${flag} must be a port number from 1 to 65535\n${USAGE}`);
      plan[ports[flag]] = port;
    } else throw new Error(`Unknown option ${flag}\n${USAGE}`);
  }
  return plan;
}

/** Events per minute of the demo trickle: about two a second, signed and shaped as loadgen sends them. */
const DEMO_EVENTS_PER_MINUTE = 120;

/** The loadgen run behind the demo trickle (an hour, the most loadgen takes; `npm start` starts the next). */
export function demoTrafficArgs({ root, siteUrl, convexUrl }) {
  return [
    join(root, "tools/loadgen/main.mjs"),
    "--rate",
    String(DEMO_EVENTS_PER_MINUTE),
    "--duration",
    "3600",
    "--concurrency",
    "1",
    "--site-url",
    siteUrl,
    "--convex-url",
    convexUrl,
  ];
}
