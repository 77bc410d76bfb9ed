import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  E2E_PASSWORD,
  inviteFromUsersPage,
  openInviteAndSignUp,
  screenshot,
  seriousAxeViolations,
  startStack,
  type Stack,
} from "./harness";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function expectAccessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousAxeViolations(page), name).toEqual([]);
}

async function signUpWithoutLink(page: Page, email: string, expectedHint: RegExp): Promise<void> {
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByText(expectedHint).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("the first account becomes admin and invites an operator, who signs up only through the one-time link", async () => {
  const adminBrowser = await stack.newBrowser();
  const page = await adminBrowser.newPage();
  await page.goto(stack.appUrl);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await expectAccessible(page, "01-sign-in");

  await signUpWithoutLink(page, "admin@example.com", /first admin/i);
  const header = page.getByRole("banner");
  await header.getByText("admin@example.com").waitFor();
  expect(await header.locator(".badge-role-admin").textContent()).toBe("admin");
  await expectAccessible(page, "02-overview-as-admin");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  const link = await inviteFromUsersPage(page, "ops@example.com", "operator");
  expect(link).toMatch(new RegExp(`^${stack.appUrl}/#invite=[A-Za-z0-9_-]{43}$`));
  expect(link).not.toContain("?code=");
  await expectAccessible(page, "03-users-with-invite-link");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await page.getByRole("cell", { name: "Invite created", exact: true }).waitFor();
  await expectAccessible(page, "04-audit");

  // Someone who only knows the invited address cannot take the invite.
  const stranger = await (await stack.newBrowser()).newPage();
  await stranger.goto(stack.appUrl);
  await signUpWithoutLink(stranger, "ops@example.com", /invite link/i);
  await stranger
    .getByRole("alert")
    .getByText(/needs an invite link/)
    .waitFor();

  const invitee = await openInviteAndSignUp(await stack.newBrowser(), link, "ops@example.com");
  const inviteeHeader = invitee.getByRole("banner");
  await inviteeHeader.getByText("ops@example.com").waitFor();
  expect(await inviteeHeader.locator(".badge-role-operator").textContent()).toBe("operator");
  expect(new URL(invitee.url()).hash).toBe("");
  const navigation = invitee.getByRole("navigation", { name: "Main" });
  expect(await navigation.getByRole("link", { name: "Users" }).count()).toBe(0);
  await expectAccessible(invitee, "05-overview-as-operator");

  // The link worked once; opened again, it says so before anything is typed.
  const reuse = await (await stack.newBrowser()).newPage();
  await reuse.goto(link);
  await reuse.getByRole("heading", { name: "Create an account" }).waitFor();
  await reuse
    .getByRole("alert")
    .getByText(/already been used/)
    .waitFor();
  await expectAccessible(reuse, "06-used-invite-link");
});
