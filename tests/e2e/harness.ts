/**
 * Browser journeys against the real stack: a fresh local backend on free ports, the SPA built
 * for it and served statically with the SPA fallback, and Debian's Chromium driven by
 * playwright-core. axe-core runs inside the page on every page a journey visits.
 *
 * Journeys share what they all do here: start the stack, sign up the first admin, invite someone
 * who signs up through the link in their own browser, post signed log-stream batches, and visit a
 * page with a screenshot and an axe check.
 */
import { execFile } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { ConvexHttpClient } from "convex/browser";
import { getFunctionName, type FunctionReference } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { signBody } from "../../convex/metrics/model/logStream";
import { generateAdminKey } from "../../tools/local-backend/adminKey";
import { generateAuthKeys } from "../../tools/local-backend/authKeys";
import { generateSecretsKey } from "../../tools/local-backend/localEnv";
import { spawnBackend, type RunningBackend } from "../../tools/local-backend/testSupport";

const ROOT = resolve(import.meta.dirname, "../..");
/** The log stream webhook secret the journeys' backend accepts (loadgen signs with it too). */
export const WEBHOOK_SECRET = "e2e0123456789abcdef0123456789abc";
const SCREENSHOT_DIR = join(ROOT, "test-results", "e2e");
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
  /** The backend's admin key: the console's deployment client uses it, as with `npm start`. */
  adminKey: string;
  /** A fresh browser profile: a separate person at a separate computer. */
  newBrowser(): Promise<BrowserContext>;
  stop(): Promise<void>;
};

/** `env` adds to the backend's environment variables, e.g. a shorter deploy window. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (.ci/run does this).`);
  }
  const workDir = mkdtempSync(join(tmpdir(), "ops-console-e2e-"));
  const keys = await generateAuthKeys();
  // As with `npm start`, the console is connected to its own backend (which gives its functions
  // CONVEX_SELF_HOSTED_URL with this key), so journeys can back up and import at once.
  const adminKey = generateAdminKey();
  const backend = await spawnBackend({
    convexDir: join(ROOT, "convex"),
    dataDir: join(workDir, "data"),
    env: {
      JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY,
      JWKS: keys.JWKS,
      SITE_URL: "http://127.0.0.1",
      LOG_STREAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey,
      CONSOLE_SECRETS_KEY: generateSecretsKey(),
      ...env,
    },
    timeoutMs: 60_000,
  });
  const distDir = join(workDir, "dist");
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--outDir", distDir, "--logLevel", "error"],
    {
      cwd: ROOT,
      // Vitest sets NODE_ENV=test, which Vite would pass on to React: a development build (twice
      // the JavaScript, every effect run twice under StrictMode) instead of the one people get.
      env: { ...process.env, NODE_ENV: "production", VITE_CONVEX_URL: backend.url },
    },
  );
  const { server, url } = await serveStatic(distDir);
  const contexts: BrowserContext[] = [];
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    appUrl: url,
    backend,
    adminKey,
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

type AxeViolation = {
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

/** A screenshot for the record, then no serious or critical axe-core violation on the page. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousAxeViolations(page), name).toEqual([]);
}

/**
 * Opens sign-up (an empty backend opens on it; otherwise switches from sign-in) and submits
 * `email`. With `expectHint`, first waits for the screen's explanation (first admin, or that an
 * invite link is needed).
 */
export async function submitSignUp(page: Page, email: string, expectHint?: RegExp): Promise<void> {
  const signUp = page.getByRole("heading", { name: "Create an account" });
  await signUp.or(page.getByRole("heading", { name: "Sign in" })).waitFor();
  if (!(await signUp.isVisible())) await page.getByRole("button", { name: "Create an account" }).click();
  if (expectHint !== undefined) await page.getByText(expectHint).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

/**
 * Waits until the banner names `email` (a minute: scrypt is slow on a busy machine). When it does
 * not come, the error carries what the sign-in screen said, so a failed run says why.
 */
export async function waitUntilSignedIn(page: Page, email: string): Promise<void> {
  try {
    await page.getByRole("banner").getByText(email).waitFor({ timeout: 60_000 });
  } catch (error) {
    const said = await page.locator(".auth-card [role=alert]").allInnerTexts();
    throw new Error(
      `Signing in as ${email} did not finish within a minute${said.length > 0 ? `; the screen says: ${said.join(" ")}` : ""}`,
      { cause: error },
    );
  }
}

/** The first account, in a fresh browser: signs up (becoming admin) and waits until signed in. */
export async function signUpFirstAdmin(stack: Stack, email = "admin@example.com"): Promise<Page> {
  const page = await (await stack.newBrowser()).newPage();
  await page.goto(stack.appUrl);
  await submitSignUp(page, email);
  await waitUntilSignedIn(page, email);
  return page;
}

/**
 * From an admin's page: opens Users, invites `email` with `role`, and signs them up through the
 * link in their own fresh browser. Returns their signed-in page.
 */
export async function inviteAndSignUp(
  stack: Stack,
  adminPage: Page,
  email: string,
  role: "admin" | "operator" | "viewer",
): Promise<Page> {
  await adminPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  const link = await inviteFromUsersPage(adminPage, email, role);
  const page = await openInviteAndSignUp(await stack.newBrowser(), link, email);
  await waitUntilSignedIn(page, email);
  return page;
}

/**
 * Opens a page of the console by its path, waits for its title heading and for its loading
 * skeletons to settle, then takes the screenshot and the axe check.
 */
export async function visitAndCheck(
  stack: Stack,
  page: Page,
  path: string,
  heading: string,
  screenshotName: string,
): Promise<void> {
  await page.goto(`${stack.appUrl}${path}`);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  await page
    .locator('[aria-label^="Loading"]')
    .first()
    .waitFor({ state: "detached" })
    .catch(() => {});
  await page.waitForLoadState("networkidle");
  await expectAccessible(page, screenshotName);
}

/** Posts a batch to the webhook exactly as Convex's log stream would, signed with the stack's secret. */
export async function postLogStreamBatch(stack: Stack, events: unknown[]): Promise<void> {
  const body = new TextEncoder().encode(JSON.stringify(events));
  const response = await fetch(`${stack.backend.siteUrl}/log-stream`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-webhook-signature": await signBody(WEBHOOK_SECRET, body),
    },
    body,
  });
  expect(response.status).toBe(200);
}

/** The public API as the person signed in on `page` calls it, with the session the page holds. */
export async function clientAs(stack: Stack, page: Page): Promise<ConvexHttpClient> {
  const token = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => name.startsWith("__convexAuthJWT"));
    return key === undefined ? null : localStorage.getItem(key);
  });
  expect(token, "the page holds a session").not.toBeNull();
  const client = new ConvexHttpClient(stack.backend.url);
  client.setAuth(token!);
  return client;
}

/**
 * Runs a function of the stack's backend as `npx convex run` does: `POST /api/function` with
 * `Authorization: Convex <admin key>`, the one way Convex lets an outsider call an internal
 * function (a cron's), so a journey runs the cron's step itself instead of waiting for its minute.
 */
export async function runWithAdminKey(
  stack: Stack,
  fn: FunctionReference<"query" | "mutation" | "action", "internal">,
  args: Record<string, Value> = {},
): Promise<unknown> {
  const path = getFunctionName(fn);
  const response = await fetch(`${stack.backend.url}/api/function`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Convex ${stack.adminKey}` },
    body: JSON.stringify({ path, format: "convex_encoded_json", args: convexToJson(args) }),
  });
  const body = (await response.json()) as { status?: string; value?: unknown; errorMessage?: string };
  if (body.status !== "success") throw new Error(`${path} failed: ${body.errorMessage ?? response.status}`);
  return body.value;
}

/**
 * One stack for the whole journey file: started before its tests, stopped after them. Call it at the
 * top level of the file; the stack it returns can be used from the tests on.
 */
export function stackForThisFile(env: Record<string, string> = {}): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(env);
  }, 180_000);
  afterAll(async () => {
    await current?.stop();
  });
  return new Proxy({} as Stack, {
    get(_target, property) {
      if (current === undefined) throw new Error("The journey's stack is used before it started.");
      const value = Reflect.get(current, property);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
}
