#!/usr/bin/env node
// `npm start`: the console offline. Starts the repo's local backend (tools/local-backend) on :3210
// with its HTTP actions on :3211, creating missing auth keys, a webhook secret and the backend's admin
// key in .local/backend.env (the console's deployment client uses that key, so Backups and Imports
// work against this backend at once), and seeding a day of demo metrics into an empty store (newest hour first; the backend prints its
// progress), and Vite on :5173 pointed at it. It prints the console's URL only once the backend
// answers the sign-up page, then keeps a light demo trickle of signed log-stream events flowing
// (tools/loadgen, about two a second) so the console stays live. `npm start -- --reset` starts with
// an empty store; `--no-demo-traffic` sends no trickle; `--port`, `--backend-port` and `--site-port`
// pick other ports when the defaults are busy. Ctrl-C stops everything.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { demoTrafficArgs, ensureWebhookSecret, localBackendArgs, parseStartArgs } from "./startPlan.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let options;
try {
  options = parseStartArgs(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const { reset, demoTraffic, appPort: APP_PORT, backendPort: BACKEND_PORT, sitePort: SITE_PORT } = options;
const HOST = "127.0.0.1";
const appUrl = `http://${HOST}:${APP_PORT}`;

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer()
      .once("error", () => resolve(false))
      .once("listening", () => server.close(() => resolve(true)))
      .listen(port, HOST);
  });
}

for (const [port, what, flag] of [
  [BACKEND_PORT, "the local backend", "--backend-port"],
  [SITE_PORT, "the backend's HTTP actions", "--site-port"],
  [APP_PORT, "the console (Vite)", "--port"],
]) {
  if (!(await portIsFree(port))) {
    console.error(
      `Port ${port} on ${HOST} is in use, and ${what} needs it. Stop whatever holds it (another \`npm start\`?), ` +
        `or pick another port: npm start -- ${flag} <port>.`,
    );
    process.exit(1);
  }
}

const localDir = join(root, ".local");
mkdirSync(localDir, { recursive: true });
ensureWebhookSecret(join(localDir, "backend.env"));
const children = [];
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  const deadline = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    process.exit(code);
  }, 5000);
  deadline.unref();
  Promise.all(
    children.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : null)),
  ).then(() => process.exit(code));
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

const backend = spawn(
  process.execPath,
  localBackendArgs({
    root,
    localDir,
    host: HOST,
    port: BACKEND_PORT,
    sitePort: SITE_PORT,
    appUrl,
    reset,
  }),
  { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
);
children.push(backend);
backend.on("exit", (code) => {
  if (!stopping) {
    console.error(`The local backend stopped (exit code ${code}); stopping the console too.`);
    stopAll(code ?? 1);
  }
});

// Vite starts alongside the backend (its URL is fixed), so the two warm up together.
const backendUrl = `http://${HOST}:${BACKEND_PORT}`;
const siteUrl = `http://${HOST}:${SITE_PORT}`;
const vite = spawn(
  process.execPath,
  [
    join(root, "node_modules/vite/bin/vite.js"),
    "--host",
    HOST,
    "--port",
    String(APP_PORT),
    "--strictPort",
    "--clearScreen",
    "false",
  ],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, VITE_CONVEX_URL: backendUrl } },
);
children.push(vite);
vite.on("exit", (code) => {
  if (!stopping) {
    console.error(`Vite stopped (exit code ${code}); stopping the backend too.`);
    stopAll(code ?? 1);
  }
});
const viteReady = new Promise((resolve) => {
  let seen = "";
  vite.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    if (seen === null) return;
    seen += chunk.toString();
    if (seen.includes(String(APP_PORT))) {
      seen = null;
      resolve();
    }
  });
});

const backendListening = new Promise((resolve) => {
  let buffered = "";
  backend.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    if (buffered === null) return;
    buffered += chunk.toString();
    if (/local-backend ready url=/.test(buffered)) {
      buffered = null;
      resolve();
    }
  });
});

/**
 * Ready means a newcomer can sign up: the backend answers the sign-up page's own query and its
 * health endpoint. Returns whether the first account will become admin (null: unknown).
 */
async function backendAnswers() {
  for (;;) {
    try {
      const response = await fetch(`${backendUrl}/api/query`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          path: "users/users:bootstrapStatus",
          format: "convex_encoded_json",
          args: [{}],
        }),
        signal: AbortSignal.timeout(5000),
      });
      const health = await fetch(`${siteUrl}/api/health`, { signal: AbortSignal.timeout(5000) });
      const body = await response.json();
      if (response.ok && health.ok && body.status === "success") return body.value.needsFirstAdmin === true;
      // The backend runs functions, but this one failed: no claim about who becomes admin.
      if (health.ok && body.status === "error") return null;
    } catch {
      // Not answering yet: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

await backendListening;
const [needsFirstAdmin] = await Promise.all([backendAnswers(), viteReady]);
console.log(
  `\n  Convex Ops Console: open ${appUrl}\n` +
    `  Backend ${backendUrl} (health: ${siteUrl}/api/health). ` +
    (needsFirstAdmin === true
      ? "The first account you sign up becomes admin."
      : needsFirstAdmin === false
        ? "Sign in with your account; an admin invites new people from Users."
        : "") +
    ` Ctrl-C stops everything.\n` +
    (demoTraffic
      ? "  A light demo trickle keeps the charts live (off: npm start -- --no-demo-traffic).\n"
      : ""),
);

/**
 * The demo trickle: loadgen at a few events a second, started again when its hour ends. Its
 * progress lines stay out of the terminal; its errors are shown once each run.
 */
function startDemoTraffic() {
  if (stopping) return;
  const started = Date.now();
  const trickle = spawn(process.execPath, demoTrafficArgs({ root, siteUrl, convexUrl: backendUrl }), {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(trickle);
  trickle.stderr.on("data", (chunk) => process.stderr.write(`demo traffic: ${chunk}`));
  trickle.on("exit", (code) => {
    children.splice(children.indexOf(trickle), 1);
    if (stopping) return;
    // A run that failed at once (no secret, backend refusing) would only fail again.
    if (code !== 0 && Date.now() - started < 60_000) {
      console.error(`The demo traffic stopped (exit code ${code}); the console keeps running without it.`);
      return;
    }
    startDemoTraffic();
  });
}

if (demoTraffic) startDemoTraffic();
