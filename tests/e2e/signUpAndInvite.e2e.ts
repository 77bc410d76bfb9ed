import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { screenshot, seriousAxeViolations, startStack, type Stack } from "./harness";

const PASSWORD = "correct-horse-battery-9";
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

async function signUp(page: Page, email: string, expectedHint: RegExp): Promise<void> {
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByText(expectedHint).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("the first account becomes admin, invites an operator, who signs up with the operator role", async () => {
  const adminBrowser = await stack.newBrowser();
  const page = await adminBrowser.newPage();
  await page.goto(stack.appUrl);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await expectAccessible(page, "01-sign-in");

  await signUp(page, "admin@example.com", /first admin/i);
  const header = page.getByRole("banner");
  await header.getByText("admin@example.com").waitFor();
  expect(await header.locator(".badge-role-admin").textContent()).toBe("admin");
  await expectAccessible(page, "02-overview-as-admin");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await page.getByLabel("Email to invite").fill("ops@example.com");
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await page.getByRole("cell", { name: "ops@example.com", exact: true }).waitFor();
  await expectAccessible(page, "03-users-with-invite");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await page.getByRole("cell", { name: "Invite created", exact: true }).waitFor();
  await expectAccessible(page, "04-audit");

  await header.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();

  await signUp(page, "ops@example.com", /invite/i);
  await header.getByText("ops@example.com").waitFor();
  expect(await header.locator(".badge-role-operator").textContent()).toBe("operator");
  const navigation = page.getByRole("navigation", { name: "Main" });
  expect(await navigation.getByRole("link", { name: "Users" }).count()).toBe(0);
  await expectAccessible(page, "05-overview-as-operator");
});
