/**
 * Browser journeys against the real stack: a fresh local backend on free ports, the SPA built
 * for it and served statically with the SPA fallback, and Debian's Chromium driven by
 * playwright-core. axe-core runs inside the page on every page a journey visits.
 */
import { execFile } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { generateAuthKeys } from "../../tools/local-backend/authKeys";
import { spawnBackend, type RunningBackend } from "../../tools/local-backend/testSupport";

const ROOT = resolve(import.meta.dirname, "../..");
/** The log stream webhook secret the journeys' backend accepts. */
export const WEBHOOK_SECRET = "e2e0123456789abcdef0123456789abc";
export const SCREENSHOT_DIR = join(ROOT, "test-results", "e2e");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".map": "application/json",
};

function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    let file = resolve(dir, `.${path}`);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory())
      file = join(dir, "index.html");
    response.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  return new Promise((done) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      done({ server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    }),
  );
}

export type Stack = {
  appUrl: string;
  backend: RunningBackend;
  /** A fresh browser profile: a separate person at a separate computer. */
  newBrowser(): Promise<BrowserContext>;
  stop(): Promise<void>;
};

export async function startStack(): Promise<Stack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (.ci/run does this).`);
  }
  const workDir = mkdtempSync(join(tmpdir(), "ops-console-e2e-"));
  const keys = await generateAuthKeys();
  const backend = await spawnBackend({
    convexDir: join(ROOT, "convex"),
    dataDir: join(workDir, "data"),
    env: {
      JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY,
      JWKS: keys.JWKS,
      SITE_URL: "http://127.0.0.1",
      LOG_STREAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
    timeoutMs: 60_000,
  });
  const distDir = join(workDir, "dist");
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--outDir", distDir, "--logLevel", "error"],
    {
      cwd: ROOT,
      env: { ...process.env, VITE_CONVEX_URL: backend.url },
    },
  );
  const { server, url } = await serveStatic(distDir);
  const contexts: BrowserContext[] = [];
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    appUrl: url,
    backend,
    async newBrowser() {
      const context = await chromium.launchPersistentContext(mkdtempSync(join(workDir, "profile-")), {
        executablePath: CHROMIUM,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1280, height: 800 },
      });
      contexts.push(context);
      return context;
    },
    async stop() {
      await Promise.all(contexts.map((context) => context.close()));
      server.close();
      await backend.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
};

/** Serious and critical axe-core violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: join(ROOT, "node_modules/axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The password every journey's accounts use. */
export const E2E_PASSWORD = "correct-horse-battery-9";

/**
 * On the Users page (an admin signed in), invites `email` with `role` and returns the one-time
 * invite link the page shows once.
 */
export async function inviteFromUsersPage(
  page: Page,
  email: string,
  role: "admin" | "operator" | "viewer",
): Promise<string> {
  await page.getByLabel("Email to invite").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await page.getByRole("cell", { name: email, exact: true }).waitFor();
  return await page.getByLabel(`Invite link for ${email}`).inputValue();
}

/** Opens an invite link in `browser` (a separate person's), fills the sign-up form and submits it. */
export async function openInviteAndSignUp(
  browser: BrowserContext,
  link: string,
  email: string,
  password = E2E_PASSWORD,
): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(link);
  await page.getByRole("heading", { name: "Create an account" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  return page;
}
