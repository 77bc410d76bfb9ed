/**
 * Journey: opening the console with a session stored in the browser. The app sends the page's
 * queries while the server is still checking the stored token, so this checks both sides of that:
 * a good session opens on its data, and a forged or dead one ends on the sign-in screen without
 * the signed-in shell ever showing, not even for a frame.
 */
import type { BrowserContext, Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible, signUpFirstAdmin, stackForThisFile } from "./harness";

const stack = stackForThisFile();
const JWT_KEY = "__convexAuthJWT";
const REFRESH_KEY = "__convexAuthRefreshToken";

/**
 * Runs before the app in every page of `browser`: copies `entries` into localStorage once, and
 * watches every DOM change for a visible signed-in shell (its banner, navigation or main area),
 * recording on window.__shellSeen whether one was ever on screen.
 */
async function openWithStoredSession(browser: BrowserContext, entries: [string, string][]): Promise<Page> {
  await browser.addInitScript((stored: [string, string][]) => {
    if (sessionStorage.getItem("stored-session") === null) {
      for (const [key, value] of stored) localStorage.setItem(key, value);
      sessionStorage.setItem("stored-session", "1");
    }
    const seen = { shell: false };
    (window as unknown as { __shellSeen: typeof seen }).__shellSeen = seen;
    const check = () => {
      for (const element of document.querySelectorAll(".shell, [role=banner], nav[aria-label=Main]")) {
        if (element.checkVisibility()) seen.shell = true;
      }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  }, entries);
  return await browser.newPage();
}

const shellSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { __shellSeen: { shell: boolean } }).__shellSeen.shell);

/** The stored session with its access token (a JWT) and refresh token changed by `change`. */
function withTokens(
  session: [string, string][],
  change: { jwt: (jwt: string) => string; refresh: (token: string) => string },
): [string, string][] {
  return session.map(([key, value]) => {
    if (key.startsWith(JWT_KEY)) return [key, change.jwt(value)];
    if (key.startsWith(REFRESH_KEY)) return [key, change.refresh(value)];
    return [key, value];
  });
}

/** The same JWT with its payload claiming another subject: the signature no longer matches. */
function forged(jwt: string): string {
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  const changed = Buffer.from(JSON.stringify({ ...claims, sub: `someone-else|${String(claims.sub)}` }));
  return `${header}.${changed.toString("base64url")}.${signature}`;
}

let session: [string, string][] = [];
let admin: Page;
let signedOut = false;

test(
  "a stored session opens the page on its data, the shell appearing once the server has confirmed it",
  { timeout: 240_000 },
  async () => {
    admin = await signUpFirstAdmin(stack);
    session = await admin.evaluate(() => Object.entries(localStorage));
    expect(session.some(([key]) => key.startsWith(JWT_KEY))).toBe(true);

    const page = await openWithStoredSession(await stack.newBrowser(), session);
    await page.goto(`${stack.appUrl}/audit`);
    await page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
    await page.getByRole("banner").getByText("admin@example.com").waitFor();
    expect(await page.getByRole("heading", { name: "Sign in" }).count()).toBe(0);
    await expectAccessible(page, "stored-session-audit");
  },
);

test.each([
  ["a forged access token", forged],
  ["an access token that is not a JWT", () => "garbage"],
])(
  "%s, with the refresh token of a session since signed out, ends on the sign-in screen without the shell ever showing",
  { timeout: 120_000 },
  async (_name, jwt) => {
    expect(session.length).toBeGreaterThan(0);
    if (!signedOut) {
      await admin.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
      await admin.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 30_000 });
      signedOut = true;
    }
    const page = await openWithStoredSession(
      await stack.newBrowser(),
      withTokens(session, { jwt, refresh: (token) => token }),
    );
    await page.goto(`${stack.appUrl}/audit`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 60_000 });
    // Whatever the client still does with the refused token happens within a moment; the shell
    // must not come up during it either.
    await page.waitForTimeout(1500);
    expect(await shellSeen(page)).toBe(false);
    expect(await page.getByRole("heading", { name: "Sign in" }).isVisible()).toBe(true);
    expect(await page.getByText("admin@example.com").count()).toBe(0);
    await expectAccessible(page, "stored-session-refused");
  },
);
