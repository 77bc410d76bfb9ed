import { expect, test } from "vitest";
import {
  expectAccessible,
  inviteFromUsersPage,
  openInviteAndSignUp,
  submitSignUp,
  stackForThisFile,
} from "./harness";

const stack = stackForThisFile();

test("the first account becomes admin and invites an operator, who signs up only through the one-time link", async () => {
  const adminBrowser = await stack.newBrowser();
  const page = await adminBrowser.newPage();
  await page.goto(stack.appUrl);
  // An empty backend opens on sign-up: its first account becomes admin.
  await page.getByRole("heading", { name: "Create an account" }).waitFor();
  await expectAccessible(page, "01-sign-up-first-admin");

  await submitSignUp(page, "admin@example.com", /first admin/i);
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
  await submitSignUp(stranger, "ops@example.com", /invite link/i);
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
